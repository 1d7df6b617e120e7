package dev.gust.scheduler.engine;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.scheduler.callbacks.CallbackRunner;
import dev.gust.scheduler.executor.LocalExecutor;
import dev.gust.scheduler.loop.SchedulingLoop;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Runs one DAG run to its end inside this process, with the real scheduling loop and executor
 * limited to that run: {@code gust dags test}. No scheduler needs to be running, and the DAG may
 * be paused; other runs in the database are left alone. The run's callbacks run here as well
 * (no notifier is installed here yet), so a test run leaves none behind for a scheduler.
 */
public final class SingleRunExecution {

    private final SchedulerContext context;

    public SingleRunExecution(GustConfig config, Database database, Clock clock) {
        this(SchedulerContext.create(config, database, clock));
    }

    public SingleRunExecution(SchedulerContext context) {
        this.context = context;
    }

    /** Creates a manual run of {@code dagId} at {@code logicalDate} and runs it; returns the finished run. */
    public DagRun run(String dagId, Instant logicalDate, Map<String, Object> conf) throws InterruptedException {
        DagRunRepository dagRuns = context.stores().dagRuns();
        String runId = context.runCreator().trigger(dagId, conf, logicalDate, null);
        RunFilter only = new RunFilter(dagId, runId);
        JobRepository jobs = context.stores().jobs();
        long jobId = jobs.register(
                "dags_test", context.hostname(), ProcessHandle.current().pid());
        Wakeup wakeup = new Wakeup();
        SchedulingLoop loop = context.schedulingLoop(only);
        LocalExecutor executor = context.localExecutor(jobId, wakeup::signal, only);
        // the run's callbacks run here too, as its events happen, and all have ended when this returns
        CallbackRunner callbacks = context.callbackRunner(jobId, context.builtInNotifiers(), only);
        try {
            while (true) {
                SchedulingLoop.Round round = loop.runOnce();
                int started = executor.claimAndStart();
                callbacks.runDue();
                DagRun run = dagRuns.find(dagId, runId).orElseThrow();
                if (run.state().isFinished() && executor.runningCount() == 0) {
                    callbacks.drain();
                    return run;
                }
                executor.heartbeat();
                if (!round.changedAnything() && started == 0) {
                    wakeup.await(100);
                }
            }
        } finally {
            callbacks.close();
            executor.close();
            jobs.end(jobId, "success");
        }
    }
}
