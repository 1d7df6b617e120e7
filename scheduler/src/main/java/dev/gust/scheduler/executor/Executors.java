package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.secrets.GustSecrets;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.scheduler.operators.OperatorRegistry;
import dev.gust.core.runs.DagRunTrigger;
import java.time.Clock;

/** Builds the executors from the process's parts. */
public final class Executors {

    private Executors() {}

    /** The local executor: tasks run as threads and subprocesses of this process. */
    public static LocalExecutor local(GustConfig config, Jdbc jdbc, DagDefinitions definitions, DagRunTrigger trigger,
                                      OperatorRegistry operators, ConnectionRepository connections, String hostname,
                                      long jobId, Runnable onTaskFinished, Clock clock,
                                      RunFilter runFilter) {
        TaskRunServices services = services(config, jdbc, definitions, trigger, operators, connections, hostname, clock);
        return new LocalExecutor(services, config.core().parallelism(), jobId, onTaskFinished, runFilter);
    }

    /**
     * The executor {@code core.executor} names: local, or ECS with a client configured the SDK's
     * standard way (region, credentials, {@code AWS_ENDPOINT_URL}). A missing ECS setting fails
     * here, with one line naming the key.
     */
    public static TaskExecutor forEngine(GustConfig config, Jdbc jdbc, DagDefinitions definitions, DagRunTrigger trigger,
                                         OperatorRegistry operators, ConnectionRepository connections, String hostname,
                                         long jobId, Runnable onTaskFinished, Clock clock, RunFilter runFilter) {
        if (!config.core().executor().equals(EcsExecutor.NAME)) {
            return local(config, jdbc, definitions, trigger, operators, connections, hostname, jobId, onTaskFinished,
                    clock, runFilter);
        }
        GustConfig.Ecs ecs = config.ecs().requireComplete();
        TaskRunServices services = services(config, jdbc, definitions, trigger, operators, connections, hostname, clock);
        software.amazon.awssdk.services.ecs.EcsClient client = software.amazon.awssdk.services.ecs.EcsClient.builder()
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build();
        // Adopt well before the zombie sweep would fail the rows of a silent scheduler: a Fargate
        // task can take a minute to start its worker, and until then only a scheduler heartbeats its row.
        java.time.Duration adoptAfter = java.util.Collections.min(java.util.List.of(
                config.scheduler().healthCheckThreshold(), config.scheduler().zombieThreshold().dividedBy(2)));
        return new EcsExecutor(services, client, new EcsExecutor.Settings(ecs, config.core().parallelism(), jobId,
                adoptAfter, onTaskFinished, runFilter, clock));
    }

    static TaskRunServices services(GustConfig config, Jdbc jdbc, DagDefinitions definitions, DagRunTrigger trigger,
                                    OperatorRegistry operators, ConnectionRepository connections, String hostname,
                                    Clock clock) {
        TaskInstanceRepository taskInstances = new TaskInstanceRepository(jdbc);
        XComRepository xcoms = new XComRepository(jdbc);
        return new TaskRunServices(definitions, new DagRunRepository(jdbc), taskInstances,
                new TaskLogRepository(jdbc, config.logging().maxTaskLogSizeBytes()), xcoms, connections,
                new JinjaArgumentRenderer(new VariableRepository(jdbc, EncryptionKeySource.cipher(config)), connections, xcoms, new DagRunRepository(jdbc)),
                operators, new TaskOutcomeRecorder(taskInstances, clock), trigger, hostname,
                config.taskEnvironment(), GustSecrets.of(config), TaskRunServices.newOpenLogs(), new java.util.concurrent.atomic.AtomicBoolean());
    }
}
