package dev.gust.scheduler.zombies;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.state.RetryPolicy;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Stores;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds task instances that are running in the database but whose process stopped heartbeating
 * (killed with SIGKILL, its container replaced, its host gone) and, as Airflow does with zombies,
 * sends them to retry or fails them per their retries, with the reason in their log and in the
 * event log. A restarting one (cleared while it ran) whose runner died instead of stopping goes
 * back to none to run again. Any live scheduler may do it; the conditional update lets one win.
 */
public final class ZombieSweeper {

    private static final Logger log = LoggerFactory.getLogger(ZombieSweeper.class);

    private final Stores stores;
    private final TaskInstanceRepository taskInstances;
    private final TaskLogRepository logs;
    private final EventLogRepository events;
    private final DagDefinitions definitions;
    private final Duration threshold;
    private final Clock clock;

    public ZombieSweeper(Stores stores, DagDefinitions definitions, Duration threshold, Clock clock) {
        this.stores = stores;
        this.taskInstances = stores.taskInstances();
        this.logs = stores.taskLogs();
        this.events = stores.events();
        this.definitions = definitions;
        this.threshold = threshold;
        this.clock = clock;
    }

    /** Sweeps once; returns how many zombies this call handled. */
    public int sweep() {
        int handled = 0;
        for (TaskInstance zombie : taskInstances.listZombies(threshold)) {
            Instant now = clock.instant();
            if (zombie.state() == TaskState.RESTARTING) {
                if (taskInstances.releaseCleared(zombie.currentTry())) {
                    logs.appendLine(
                            zombie.key(),
                            zombie.tryNumber(),
                            now,
                            "The runner of this cleared try on "
                                    + zombie.hostname() + " (pid " + zombie.pid() + ") has not heartbeat since "
                                    + zombie.lastHeartbeatAt() + "; it is gone, and the task will be scheduled again.");
                    handled++;
                }
                continue;
            }
            TaskSpec task = definitions
                    .get(zombie.key().dagId())
                    .flatMap(d -> d.dag().task(zombie.taskId()))
                    .orElse(null);
            Instant nextTry = task == null
                    ? null
                    : RetryPolicy.retryAfterFailure(task, zombie.tryNumber(), zombie.maxTries(), now)
                            .orElse(null);
            boolean retry = nextTry != null;
            TaskState to = retry ? TaskState.UP_FOR_RETRY : TaskState.FAILED;
            String reason = "Detected as a zombie: no heartbeat since " + zombie.lastHeartbeatAt() + " from "
                    + zombie.hostname() + " (pid " + zombie.pid() + "), more than " + threshold.toSeconds()
                    + "s ago; marking task as " + to.dbName().toUpperCase()
                    + (retry ? ", retry at " + nextTry : "");
            // By try: a zombie's key may already run a later try (cleared, then claimed again).
            if (finish(zombie, task, to, nextTry, reason)) {
                logs.appendLine(zombie.key(), zombie.tryNumber(), now, reason);
                events.append(new Event(
                        "zombie_detected",
                        zombie.key().dagId(),
                        zombie.taskId(),
                        zombie.key().runId(),
                        "scheduler",
                        reason));
                log.warn("{}: {}", zombie.key(), reason);
                handled++;
            }
        }
        return handled;
    }

    /**
     * Ends the zombie's try in {@code to}, requesting the task's failure or retry callbacks in the
     * same transaction, as Airflow runs them for zombies; false when another process moved it first.
     */
    private boolean finish(TaskInstance zombie, TaskSpec task, TaskState to, Instant nextTry, String reason) {
        CallbackEvent event = to == TaskState.FAILED ? CallbackEvent.FAILURE : CallbackEvent.RETRY;
        List<CallbackSpec> callbacks = task == null ? List.of() : task.callbacksFor(event);
        if (callbacks.isEmpty()) {
            return taskInstances.finishTry(zombie.currentTry(), to, nextTry);
        }
        return stores.inTransaction(tx -> {
            if (!tx.taskInstances().finishTry(zombie.currentTry(), to, nextTry)) {
                return false;
            }
            Map<String, Object> context = new HashMap<>();
            context.put("state", to.dbName());
            context.put("exception", reason);
            context.put("max_tries", zombie.maxTries());
            tx.callbackRequests()
                    .request(
                            zombie.key().dagId(),
                            zombie.key().runId(),
                            zombie.taskId(),
                            zombie.key().mapIndex(),
                            zombie.tryNumber(),
                            event,
                            callbacks,
                            context);
            return true;
        });
    }
}
