package dev.gust.scheduler.engine;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.runs.NextDagrunRecorder;
import dev.gust.core.store.Database;
import dev.gust.core.store.Stores;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.secrets.GustSecrets;
import dev.gust.scheduler.callbacks.CallbackRunner;
import dev.gust.scheduler.callbacks.CallbackServices;
import dev.gust.scheduler.executor.Executors;
import dev.gust.scheduler.executor.LocalExecutor;
import dev.gust.scheduler.executor.TaskExecutor;
import dev.gust.scheduler.executor.WorkerContext;
import dev.gust.scheduler.loop.PoolSlotsSampler;
import dev.gust.scheduler.loop.SchedulingLoop;
import dev.gust.scheduler.notify.Notifiers;
import dev.gust.scheduler.operators.python.PythonSettings;
import dev.gust.scheduler.runs.ScheduleTriggers;
import dev.gust.scheduler.sla.SlaChecker;
import dev.gust.scheduler.zombies.QueuedTaskSweeper;
import dev.gust.scheduler.zombies.ZombieSweeper;
import java.time.Clock;

/**
 * The scheduler's composition root: the configuration, the database and its repositories, the
 * clock and the task-running parts (DAG definitions, run creator, operators), built once by
 * {@link #create} and passed down. The parts of a scheduler (loop, sweepers, executors, Quartz
 * triggers) are built here from them; those that belong to a scheduler job take its id.
 */
public record SchedulerContext(
        GustConfig config, Database database, Stores stores, Clock clock, WorkerContext tasks, GustMetrics metrics) {

    /** The parts of a scheduler process on {@code config}, over {@code database}, recording no metrics. */
    public static SchedulerContext create(GustConfig config, Database database, Clock clock) {
        return create(config, database, clock, GustMetrics.off());
    }

    /** The parts of a scheduler process on {@code config}, over {@code database}, recording into {@code metrics}. */
    public static SchedulerContext create(GustConfig config, Database database, Clock clock, GustMetrics metrics) {
        Stores stores = Stores.open(database.jdbc(), config);
        metrics.bindConnectionPool(database.dataSource());
        return new SchedulerContext(
                config,
                database,
                stores,
                clock,
                WorkerContext.of(config, stores, clock, LocalHostname.get(), metrics),
                metrics);
    }

    public DagDefinitions definitions() {
        return tasks.definitions();
    }

    public DagRunCreator runCreator() {
        return tasks.runCreator();
    }

    public String hostname() {
        return tasks.hostname();
    }

    /** The scheduling loop over every run, or over the one {@code runFilter} names. */
    public SchedulingLoop schedulingLoop(RunFilter runFilter) {
        return new SchedulingLoop(
                stores,
                definitions(),
                config.core().maxActiveRunsPerDag(),
                config.core().maxActiveTasksPerDag(),
                config.core().catchupByDefault(),
                config.core().maxMapLength(),
                clock,
                runFilter,
                metrics);
    }

    /** The pool gauges' sampler. */
    public PoolSlotsSampler poolSlotsSampler() {
        return new PoolSlotsSampler(stores, metrics);
    }

    /** The check that records SLA and deadline misses and requests their callbacks. */
    public SlaChecker slaChecker() {
        return new SlaChecker(stores, definitions(), clock);
    }

    public ZombieSweeper zombieSweeper() {
        return new ZombieSweeper(stores, definitions(), config.scheduler().zombieThreshold(), clock);
    }

    /** The sweeper that adopts or fails the queued work of dead schedulers, for scheduler job {@code jobId}. */
    public QueuedTaskSweeper queuedSweeper(long jobId) {
        return new QueuedTaskSweeper(new QueuedTaskSweeper.Context(
                stores.taskInstances(),
                stores.taskLogs(),
                stores.events(),
                jobId,
                config.scheduler().healthCheckThreshold(),
                config.scheduler().taskQueuedTimeout(),
                clock));
    }

    /** The executor {@code core.executor} names, claiming work as scheduler job {@code jobId}. */
    public TaskExecutor executor(long jobId, Runnable onTaskFinished) {
        return Executors.forEngine(tasks, jobId, onTaskFinished, null);
    }

    /** A local executor limited to one run ({@code gust dags test}). */
    public LocalExecutor localExecutor(long jobId, Runnable onTaskFinished, RunFilter runFilter) {
        return Executors.local(tasks, jobId, onTaskFinished, runFilter);
    }

    /**
     * The runner of callback requests for scheduler job {@code jobId}, with the built-in notifiers
     * (Slack webhook, SMTP, SNS) reading their connections from the metadata database.
     */
    public CallbackRunner callbackRunner(long jobId) {
        return callbackRunner(jobId, builtInNotifiers());
    }

    /** The built-in notifiers, each finding its connection in the metadata database. */
    public Notifiers builtInNotifiers() {
        return Notifiers.builtIn(stores.connections()::find, config.notificationTopicArn());
    }

    /** The runner of callback requests for scheduler job {@code jobId}, delivering notifier callbacks with {@code notifiers}. */
    public CallbackRunner callbackRunner(long jobId, Notifiers notifiers) {
        return callbackRunner(jobId, notifiers, null);
    }

    /** As {@link #callbackRunner(long, Notifiers)}, for the requests of the run {@code only} names (all when null). */
    public CallbackRunner callbackRunner(long jobId, Notifiers notifiers, RunFilter only) {
        CallbackServices services = new CallbackServices(
                stores,
                definitions(),
                notifiers,
                config.taskEnvironment(),
                GustSecrets.of(config),
                PythonSettings.of(config),
                config.callbacks().timeout(),
                config.callbacks().parallelism(),
                hostname() + ":" + ProcessHandle.current().pid() + ":job" + jobId,
                clock);
        // a scheduler that stops heartbeating its rows for as long as a task's is dead: its callbacks are taken over
        return new CallbackRunner(services, config.scheduler().zombieThreshold(), only);
    }

    /** The Quartz triggers that create scheduled runs, clustered through the metadata database. */
    public ScheduleTriggers scheduleTriggers() {
        return new ScheduleTriggers(
                database.dataSource(),
                runCreator(),
                new NextDagrunRecorder(runCreator(), stores.dags()),
                config.scheduler().clusterCheckinInterval().toMillis());
    }
}
