package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.runs.DagRunTrigger;
import dev.gust.core.store.Stores;
import dev.gust.core.store.callbacks.CallbackRequestRepository;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.secrets.GustSecrets;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.template.SecretMasker;
import dev.gust.scheduler.operators.OperatorRegistry;
import dev.gust.scheduler.operators.python.PythonSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What running a task needs, passed as one object instead of a dozen constructor parameters:
 * the repositories, the DAG definitions, the operators, the template renderer, the clean
 * environment task commands start from, Gust's own secrets (masked in every task's output), and
 * the logs currently open (so that a timer can flush quiet ones), Variables (for Python tasks'
 * {@code Variable.get}) and where Python tasks run.
 */
record TaskRunServices(
        DagDefinitions definitions,
        DagRunRepository dagRuns,
        TaskInstanceRepository taskInstances,
        TaskLogRepository taskLogs,
        XComRepository xcoms,
        ConnectionRepository connections,
        TaskArgumentRenderer renderer,
        OperatorRegistry operators,
        TaskOutcomeRecorder recorder,
        DagRunTrigger dagRunTrigger,
        String hostname,
        Map<String, String> baseEnvironment,
        List<String> gustSecrets,
        Set<DatabaseTaskLog> openLogs,
        java.util.concurrent.atomic.AtomicBoolean shuttingDown,
        VariableRepository variables,
        PythonSettings python,
        CallbackRequestRepository callbackRequests,
        GustMetrics metrics) {

    /** The services of a process's task runs, from the parts its composition root built. */
    static TaskRunServices of(WorkerContext context) {
        Stores stores = context.stores();
        GustConfig config = context.config();
        return new TaskRunServices(
                context.definitions(),
                stores.dagRuns(),
                stores.taskInstances(),
                stores.taskLogs(),
                stores.xcoms(),
                stores.connections(),
                new JinjaArgumentRenderer(stores.variables(), stores.connections(), stores.xcoms(), stores.dagRuns()),
                context.operators(),
                new TaskOutcomeRecorder(stores, context.clock(), context.metrics()),
                context.runCreator(),
                context.hostname(),
                config.taskEnvironment(),
                GustSecrets.of(config),
                ConcurrentHashMap.newKeySet(),
                new java.util.concurrent.atomic.AtomicBoolean(),
                stores.variables(),
                PythonSettings.of(config),
                stores.callbackRequests(),
                context.metrics());
    }

    /** The masker of one try: it knows Gust's own secrets from the start, and learns the task's as it reads them. */
    SecretMasker newMasker() {
        return SecretMasker.of(gustSecrets);
    }

    /** From now on, stopped tasks are put back for retry instead of being recorded as failed. */
    void shutDown() {
        shuttingDown.set(true);
    }

    boolean isShuttingDown() {
        return shuttingDown.get();
    }

    void register(DatabaseTaskLog log) {
        openLogs.add(log);
    }

    void unregister(DatabaseTaskLog log) {
        openLogs.remove(log);
    }

    void flushOpenLogs() {
        openLogs.forEach(DatabaseTaskLog::flush);
    }
}
