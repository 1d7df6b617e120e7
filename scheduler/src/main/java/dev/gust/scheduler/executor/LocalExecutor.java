package dev.gust.scheduler.executor;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskInstanceTry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued task instances in this process, up to {@code parallelism} at once, each on its own
 * virtual thread. It claims work from the database ({@code FOR UPDATE SKIP LOCKED}, so several
 * schedulers share the queue without running anything twice) and reports what it runs through
 * heartbeats; everything it learns it writes back as rows.
 */
public final class LocalExecutor implements TaskExecutor {

    private static final Logger log = LoggerFactory.getLogger(LocalExecutor.class);

    private final TaskRunServices services;
    private final TaskRunner runner;
    private final int parallelism;
    private final int pid = (int) ProcessHandle.current().pid();
    private final long jobId;
    private final Semaphore slots;
    /** By try, not by key: a cleared key may run again here while its earlier try still winds down. */
    private final Map<TaskInstanceTry, RunningTry> running = new ConcurrentHashMap<>();

    /** A try running here: its runner thread (to wait for) and how to ask its operator to stop. */
    private record RunningTry(Thread runner, TryStop stop) {}

    private final Runnable onTaskFinished;
    private final RunFilter runFilter;

    LocalExecutor(TaskRunServices services, int parallelism, long jobId, Runnable onTaskFinished, RunFilter runFilter) {
        this.services = services;
        this.runner = new TaskRunner(services);
        this.parallelism = parallelism;
        this.jobId = jobId;
        this.slots = new Semaphore(parallelism);
        this.onTaskFinished = onTaskFinished;
        this.runFilter = runFilter;
    }

    /** Claims as many queued task instances as there are free slots and starts them; returns how many. */
    @Override
    public int claimAndStart() {
        int free = slots.availablePermits();
        services.metrics().executorSlots(free, 0, parallelism - free);
        if (free == 0) {
            return 0;
        }
        List<TaskInstanceRepository.ClaimedTry> claimed =
                services.taskInstances().claimToRun(free, services.hostname(), pid, jobId, runFilter);
        if (claimed.isEmpty()) {
            return 0;
        }
        // One read of the DAGs and one of the runs for the whole batch, not one per task.
        Map<String, DagDefinitions.Loaded> dags = services.definitions()
                .current(claimed.stream()
                        .map(c -> c.taskInstance().key().dagId())
                        .distinct()
                        .toList());
        Map<String, DagRun> runs = new HashMap<>();
        for (DagRun run : services.dagRuns()
                .findAll(claimed.stream().map(c -> c.taskInstance().key()).toList())) {
            runs.put(run.dagId() + "\u0000" + run.runId(), run);
        }
        for (TaskInstanceRepository.ClaimedTry claim : claimed) {
            TaskInstance ti = claim.taskInstance();
            DagRun run = runs.get(ti.key().dagId() + "\u0000" + ti.key().runId());
            DagDefinitions.Loaded loaded = dags.get(ti.key().dagId());
            slots.acquireUninterruptibly();
            TryStop stop = new TryStop();
            Thread runnerThread = Thread.ofVirtual().name("run-" + ti.key()).unstarted(() -> {
                try {
                    runner.run(ti, claim.storedLogBytes(), loaded, run, stop);
                } catch (RuntimeException e) {
                    log.error("running {} failed unexpectedly; the zombie sweep will retry it", ti.key(), e);
                } finally {
                    running.remove(ti.currentTry());
                    slots.release();
                    onTaskFinished.run();
                }
            });
            running.put(ti.currentTry(), new RunningTry(runnerThread, stop));
            runnerThread.start();
        }
        return claimed.size();
    }

    /**
     * Heartbeats every task instance running here and flushes their quiet logs. A task instance
     * that is no longer running in the database (cleared, marked, its run timed out) has its
     * operator stopped, which kills its processes; a try that has just recorded its own outcome is
     * no longer running either, and the stop reaches only its finished operator, never the runner's
     * database work.
     */
    @Override
    public void heartbeat() {
        Set<TaskInstanceTry> mine = Set.copyOf(running.keySet());
        Set<TaskInstanceTry> stillRunning = Set.copyOf(services.taskInstances().heartbeat(mine));
        for (TaskInstanceTry attempt : mine) {
            RunningTry here = running.get(attempt);
            if (!stillRunning.contains(attempt) && here != null && !here.stop().requested()) {
                log.info("{} is no longer running in the database; stopping it if it still runs", attempt);
                here.stop().request();
            }
        }
        services.flushOpenLogs();
    }

    @Override
    public int runningCount() {
        return running.size();
    }

    /**
     * The graceful stop ECS asks for with SIGTERM: lets running tasks finish for up to
     * {@code grace}, then stops the rest (their operators kill their process trees) and puts them
     * back for retry without counting the try. Returns how many had to be stopped.
     */
    @Override
    public int stopGracefully(java.time.Duration grace) throws InterruptedException {
        if (slots.tryAcquire(parallelism, grace.toMillis(), TimeUnit.MILLISECONDS)) {
            slots.release(parallelism);
            return 0;
        }
        services.shutDown();
        var unfinished = Map.copyOf(running);
        unfinished.values().forEach(here -> here.stop().request());
        for (RunningTry here : unfinished.values()) {
            here.runner().join(java.time.Duration.ofSeconds(10));
        }
        return unfinished.size();
    }

    @Override
    public void close() {
        services.flushOpenLogs();
    }
}
