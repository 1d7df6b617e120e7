package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Database;
import dev.gust.core.store.Stores;
import dev.gust.scheduler.operators.OperatorRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;

/**
 * What running tasks needs, built once per process: the configuration, the repositories, the DAG
 * definitions, the run creator (for {@code trigger_dagrun}), the operators, the host name recorded
 * on task instances and the clock. {@link #create} is the composition root of the ECS worker
 * ({@code gust tasks run}); the scheduler's context builds one with {@link #of} for its executors.
 */
public record WorkerContext(
        GustConfig config,
        Stores stores,
        DagDefinitions definitions,
        DagRunCreator runCreator,
        OperatorRegistry operators,
        String hostname,
        Clock clock,
        GustMetrics metrics) {

    /** The worker process's parts, on the system clock and this machine's host name. */
    public static WorkerContext create(GustConfig config, Database database, GustMetrics metrics) {
        return of(config, Stores.open(database.jdbc(), config), Clock.systemUTC(), localHostname(), metrics);
    }

    /** As above, recording no metrics. */
    public static WorkerContext create(GustConfig config, Database database) {
        return create(config, database, GustMetrics.off());
    }

    /** The task-running parts over stores a process has already opened. */
    public static WorkerContext of(
            GustConfig config, Stores stores, Clock clock, String hostname, GustMetrics metrics) {
        DagDefinitions definitions = new DagDefinitions(stores.dags());
        DagRunCreator runCreator =
                new DagRunCreator(stores.dagRuns(), definitions, config.core().catchupByDefault(), clock);
        OperatorRegistry operators = OperatorRegistry.load();
        return new WorkerContext(config, stores, definitions, runCreator, operators, hostname, clock, metrics);
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
