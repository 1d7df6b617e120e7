package dev.gust.scheduler.engine;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.scheduler.executor.Executors;
import dev.gust.scheduler.executor.LocalExecutor;
import dev.gust.scheduler.loop.SchedulingLoop;
import dev.gust.scheduler.operators.OperatorRegistry;
import dev.gust.core.runs.DagRunCreator;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Runs one DAG run to its end inside this process, with the real scheduling loop and executor
 * limited to that run: {@code gust dags test}. No scheduler needs to be running, and the DAG may
 * be paused; other runs in the database are left alone.
 */
public final class SingleRunExecution {

    private final GustConfig config;
    private final Database database;
    private final Clock clock;

    public SingleRunExecution(GustConfig config, Database database, Clock clock) {
        this.config = config;
        this.database = database;
        this.clock = clock;
    }

    /** Creates a manual run of {@code dagId} at {@code logicalDate} and runs it; returns the finished run. */
    public DagRun run(String dagId, Instant logicalDate, Map<String, Object> conf) throws InterruptedException {
        Jdbc jdbc = database.jdbc();
        DagDefinitions definitions = new DagDefinitions(new DagRepository(jdbc));
        DagRunRepository dagRuns = new DagRunRepository(jdbc);
        DagRunCreator creator = new DagRunCreator(dagRuns, definitions, config.core().catchupByDefault(), clock);
        String runId = creator.trigger(dagId, conf, logicalDate, null);
        RunFilter only = new RunFilter(dagId, runId);
        JobRepository jobs = new JobRepository(jdbc);
        String hostname = LocalHostname.get();
        long jobId = jobs.register("dags_test", hostname, ProcessHandle.current().pid());
        Wakeup wakeup = new Wakeup();
        SchedulingLoop loop = new SchedulingLoop(jdbc, definitions, config.core().maxActiveRunsPerDag(),
                config.core().maxActiveTasksPerDag(), clock, only);
        LocalExecutor executor = Executors.local(config, jdbc, definitions, creator, OperatorRegistry.load(),
                new ConnectionRepository(jdbc, EncryptionKeySource.cipher(config)), hostname, jobId, wakeup::signal,
                clock, only);
        try {
            while (true) {
                SchedulingLoop.Round round = loop.runOnce();
                int started = executor.claimAndStart();
                DagRun run = dagRuns.find(dagId, runId).orElseThrow();
                if (run.state().isFinished() && executor.runningCount() == 0) {
                    return run;
                }
                executor.heartbeat();
                if (!round.changedAnything() && started == 0) {
                    wakeup.await(100);
                }
            }
        } finally {
            executor.close();
            jobs.end(jobId, "success");
        }
    }

}
