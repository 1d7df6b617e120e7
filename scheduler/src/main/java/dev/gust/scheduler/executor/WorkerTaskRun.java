package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Database;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceTry;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code gust tasks run DAG TASK RUN_ID --try N}: the worker side of a remote executor (an ECS
 * task runs exactly this). It takes one try of one task instance to running with a conditional
 * update (from queued, or from the running row the ECS executor launched for this try and no
 * worker has started), runs it as the local executor does (same {@link TaskRunner}, log in the
 * database, outcome through the state machine), and heartbeats meanwhile; when the row leaves
 * running elsewhere (cleared, marked) the operator is interrupted. If the conditional update
 * loses, nothing runs: another worker or a clear got there first.
 */
public final class WorkerTaskRun {

    /** How a worker run ended, and the exit code the process reports for it. */
    public sealed interface Result {
        int exitCode();

        String describe();
    }

    /** The row was not in the state or try this worker was started for; nothing ran. */
    public record NotStarted(String reason) implements Result {
        public int exitCode() {
            return 3;
        }

        public String describe() {
            return "not started: " + reason;
        }
    }

    /** The try ran; {@code state} is the task instance's state afterwards. */
    public record Finished(TaskState state) implements Result {
        public int exitCode() {
            return state == TaskState.SUCCESS ? 0 : 1;
        }

        public String describe() {
            return "finished: " + state.dbName();
        }
    }

    private final GustConfig config;
    private final TaskRunServices services;
    private final TryStop tryStop = new TryStop();

    /** The worker of {@code gust tasks run}: its parts built from the configuration, once. */
    public WorkerTaskRun(GustConfig config, Database database) {
        this(WorkerContext.create(config, database));
    }

    public WorkerTaskRun(WorkerContext context) {
        this.config = context.config();
        this.services = TaskRunServices.of(context);
    }

    /** Runs try {@code tryNumber} of {@code key} in this thread and says how it ended. */
    public Result run(TaskInstanceKey key, int tryNumber) {
        var taskInstances = services.taskInstances();
        TaskInstance ti = taskInstances
                .startOnWorker(key, tryNumber, services.hostname(), (int)
                        ProcessHandle.current().pid())
                .orElse(null);
        if (ti == null) {
            TaskInstance now = taskInstances.find(key).orElse(null);
            return new NotStarted(
                    now == null
                            ? "no task instance " + key
                            : key + " is " + now.state().dbName() + " at try " + now.tryNumber()
                                    + ", not waiting for try " + tryNumber
                                    + " (another worker or a clear got there first)");
        }
        DagDefinitions.Loaded loaded =
                services.definitions().current(List.of(key.dagId())).get(key.dagId());
        DagRun run = services.dagRuns().find(key.dagId(), key.runId()).orElse(null);
        Thread heartbeat = Thread.ofVirtual()
                .name("worker-heartbeat")
                .start(() -> heartbeat(ti.currentTry(), Thread.currentThread()));
        try {
            new TaskRunner(services).run(ti, loaded, run, tryStop);
        } finally {
            heartbeat.interrupt();
        }
        TaskInstance after = taskInstances.find(key).orElseThrow();
        return new Finished(after.tryNumber() == tryNumber ? after.state() : TaskState.NONE);
    }

    /**
     * SIGTERM (ECS stopping the task): the running try is stopped and goes back for retry without
     * counting, as with a scheduler that shuts down.
     */
    public void stop() {
        services.shutDown();
        tryStop.request();
    }

    private void heartbeat(TaskInstanceTry attempt, Thread self) {
        // one row per worker process: at the configured interval, not faster (thousands of workers share the database)
        long interval = config.scheduler().heartbeatInterval().toMillis();
        boolean stopping = false;
        while (!self.isInterrupted()) {
            try {
                Thread.sleep(Duration.ofMillis(interval));
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (services.taskInstances().heartbeat(Set.of(attempt)).isEmpty() && !stopping) {
                    stopping = true;
                    // cleared, marked or timed out elsewhere: stop the operator, its result is
                    // discarded; heartbeats go on until it has stopped (a cleared try waits for that)
                    tryStop.request();
                }
                services.flushOpenLogs();
            } catch (RuntimeException e) {
                // the database is away for a moment; the zombie threshold decides if that is too long
            }
        }
    }
}
