package dev.gust.scheduler.executor;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.state.BranchSkips;
import dev.gust.core.state.RetryPolicy;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Stores;
import dev.gust.core.store.datasets.EventSource;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.OutletAliasEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns how a try ended into the task instance's next state, with a conditional update from
 * running: success, skipped, up_for_retry (when tries are left, at the retry policy's time) or
 * failed, up_for_reschedule for sensors, and for a branch the skips of the branches not taken.
 * Returns false when another process moved the task instance first (a clear, a zombie sweep):
 * then this try's result is discarded, which is what makes "success exactly once" hold. A try that
 * was cleared while it ran (restarting) is released here to be scheduled again, now that its
 * runner has stopped. A success of a task with {@code outlets} records one dataset event per
 * outlet in the same transaction, with one per event its code added through a dataset alias of
 * its outlets, and the end's callbacks ({@code on_success_callback} ...) are requested in it too
 * (rows a scheduler's {@code CallbackRunner} runs). An end with none of those and no time for a
 * next try is written together with the other runners' ends ({@link GroupedFinishes}).
 */
final class TaskOutcomeRecorder {

    /** The task callbacks a try's end fires, by the state it ends in. */
    private static final Map<TaskState, CallbackEvent> CALLBACK_EVENTS = Map.of(
            TaskState.SUCCESS, CallbackEvent.SUCCESS,
            TaskState.FAILED, CallbackEvent.FAILURE,
            TaskState.UP_FOR_RETRY, CallbackEvent.RETRY,
            TaskState.SKIPPED, CallbackEvent.SKIPPED);

    private final Stores stores;
    private final TaskInstanceRepository taskInstances;
    private final Clock clock;
    private final GustMetrics metrics;
    private static final Logger logger = LoggerFactory.getLogger(TaskOutcomeRecorder.class);

    private final GroupedFinishes groupedFinishes;

    TaskOutcomeRecorder(Stores stores, Clock clock, GustMetrics metrics) {
        this.stores = stores;
        this.taskInstances = stores.taskInstances();
        this.clock = clock;
        this.metrics = metrics;
        this.groupedFinishes = new GroupedFinishes(stores.taskInstances());
    }

    /** Records how this try ended; false when another process had moved the task instance first. */
    boolean record(Dag dag, TaskSpec task, TaskInstance ti, OperatorOutcome outcome, DatabaseTaskLog log) {
        return record(dag, task, ti, outcome, log, List.of());
    }

    /**
     * As above, with the dataset events the task's code added through its outlets' aliases, which
     * a success records with those of its fixed outlets.
     */
    boolean record(
            Dag dag,
            TaskSpec task,
            TaskInstance ti,
            OperatorOutcome outcome,
            DatabaseTaskLog log,
            List<OutletAliasEvent> aliasEvents) {
        boolean won = decide(dag, task, ti, outcome, log, aliasEvents);
        if (!won) {
            log.line("The task instance was changed by another process (cleared, marked, or declared dead);"
                    + " this result is discarded.");
            releaseIfCleared(ti, log);
            log.flush();
        }
        return won;
    }

    /**
     * A try cleared while it ran waits in restarting until its runner is done: this runner is, so
     * the task instance goes back to none and the scheduler runs it again as the next try.
     */
    boolean releaseIfCleared(TaskInstance ti, DatabaseTaskLog log) {
        boolean released = taskInstances.releaseCleared(ti.currentTry());
        if (released) {
            log.line("This try was cleared while it ran and has stopped; the task will be scheduled again.");
            log.flush();
        }
        return released;
    }

    private boolean decide(
            Dag dag,
            TaskSpec task,
            TaskInstance ti,
            OperatorOutcome outcome,
            DatabaseTaskLog log,
            List<OutletAliasEvent> aliasEvents) {
        TaskInstanceKey key = ti.key();
        Instant now = clock.instant();
        return switch (outcome) {
            case OperatorOutcome.Success s ->
                finish(task, ti, TaskState.SUCCESS, null, log, "Marking task as SUCCESS.", null, aliasEvents);
            case OperatorOutcome.Skipped s ->
                finish(
                        task,
                        ti,
                        TaskState.SKIPPED,
                        null,
                        log,
                        "Marking task as SKIPPED: " + s.reason(),
                        null,
                        List.of());
            case OperatorOutcome.FollowBranches branches -> {
                List<String> skipped = BranchSkips.toSkip(dag, task.taskId(), branches.taskIds());
                List<TaskInstanceKey> skipKeys = skipped.stream()
                        .map(id -> new TaskInstanceKey(key.dagId(), key.runId(), id, -1))
                        .toList();
                // Skips first: once the branch is success, the loop would schedule an unskipped branch.
                taskInstances.decideWithoutRunning(skipKeys, TaskState.SKIPPED);
                log.line("Following branch " + branches.taskIds() + "; skipping " + skipped);
                yield finish(task, ti, TaskState.SUCCESS, null, log, "Marking task as SUCCESS.", null, aliasEvents);
            }
            case OperatorOutcome.SkipDownstream shortCircuit -> {
                List<String> skipped = shortCircuit.allDownstream()
                        ? BranchSkips.allDownstream(dag, task.taskId())
                        : BranchSkips.toSkip(dag, task.taskId(), List.of());
                taskInstances.decideWithoutRunning(
                        skipped.stream()
                                .map(id -> new TaskInstanceKey(key.dagId(), key.runId(), id, -1))
                                .toList(),
                        TaskState.SKIPPED);
                log.line("Skipping downstream tasks: " + skipped);
                yield finish(task, ti, TaskState.SUCCESS, null, log, "Marking task as SUCCESS.", null, aliasEvents);
            }
            case OperatorOutcome.Failed failed -> failOrRetry(task, ti, failed.reason(), true, now, log);
            case OperatorOutcome.FailedWithoutRetry failed -> failOrRetry(task, ti, failed.reason(), false, now, log);
            case OperatorOutcome.Reschedule reschedule -> {
                log.line("Rescheduling task; next try at " + reschedule.nextTry());
                yield taskInstances.reschedule(ti.currentTry(), reschedule.nextTry());
            }
        };
    }

    private boolean failOrRetry(
            TaskSpec task, TaskInstance ti, String reason, boolean retryable, Instant now, DatabaseTaskLog log) {
        log.line("Task failed: " + reason);
        Optional<Instant> retryAt =
                retryable ? RetryPolicy.retryAfterFailure(task, ti.tryNumber(), ti.maxTries(), now) : Optional.empty();
        if (retryAt.isPresent()) {
            Instant next = retryAt.get();
            return finish(
                    task,
                    ti,
                    TaskState.UP_FOR_RETRY,
                    next,
                    log,
                    "Marking task as UP_FOR_RETRY (try " + ti.tryNumber() + " of " + (ti.maxTries() + 1)
                            + "); retry at " + next,
                    reason,
                    List.of());
        }
        return finish(
                task,
                ti,
                TaskState.FAILED,
                null,
                log,
                "Marking task as FAILED (try " + ti.tryNumber() + " of " + (ti.maxTries() + 1) + ").",
                reason,
                List.of());
    }

    /**
     * Ends the try in {@code to}. The dataset events of a success (its outlets' and those its code
     * added through their aliases) and the callback requests of the event ({@code exception}: why it
     * failed, or null) commit with the state change or not at all: a success recorded twice is
     * impossible, so each outlet is updated, and each callback requested, once per try.
     */
    private boolean finish(
            TaskSpec task,
            TaskInstance ti,
            TaskState to,
            Instant nextTryAt,
            DatabaseTaskLog log,
            String message,
            String exception,
            List<OutletAliasEvent> aliasEvents) {
        boolean won = finishTry(task, ti, to, nextTryAt, log, message, exception, aliasEvents);
        if (won) {
            metrics.taskFinished(ti.key().dagId(), ti.taskId(), to);
            // as Airflow's scheduler logs "TaskInstance Finished": with the try's fields (MDC) in the JSON log
            if (to == TaskState.SUCCESS || to == TaskState.SKIPPED) {
                logger.info("task instance finished: {}", to.dbName());
            } else {
                logger.warn("task instance finished: {}", to.dbName());
            }
        }
        return won;
    }

    private boolean finishTry(
            TaskSpec task,
            TaskInstance ti,
            TaskState to,
            Instant nextTryAt,
            DatabaseTaskLog log,
            String message,
            String exception,
            List<OutletAliasEvent> aliasEvents) {
        log.line(message);
        Optional<CallbackEvent> event =
                CALLBACK_EVENTS.containsKey(to) ? Optional.of(CALLBACK_EVENTS.get(to)) : Optional.empty();
        List<CallbackSpec> callbacks = event.map(task::callbacksFor).orElse(List.of());
        boolean outlets = to == TaskState.SUCCESS && !(task.outletUris().isEmpty() && aliasEvents.isEmpty());
        // Guarded by the try number too: an ECS executor records for a try whose worker vanished,
        // and must not end a later try that a clear and a new claim started meanwhile.
        if (!outlets && callbacks.isEmpty() && nextTryAt == null) {
            // the common end: grouped with the other runners' ends, the log's tail in the same statement
            return groupedFinishes.finish(ti.currentTry(), to, log);
        }
        log.flush();
        if (!outlets && callbacks.isEmpty()) {
            return taskInstances.finishTry(ti.currentTry(), to, nextTryAt);
        }
        TaskInstanceKey key = ti.key();
        EventSource source = new EventSource(key.dagId(), key.runId(), key.taskId(), key.mapIndex());
        Instant at = clock.instant();
        boolean won = stores.inTransaction(tx -> {
            if (!tx.taskInstances().finishTry(ti.currentTry(), to, nextTryAt)) {
                return false;
            }
            if (outlets) {
                tx.datasets().recordEvents(task.outletUris(), source, "{}", at);
                for (OutletAliasEvent aliasEvent : aliasEvents) {
                    tx.datasets().recordEvents(List.of(aliasEvent.uri()), source, aliasEvent.extraJson(), at);
                }
            }
            if (!callbacks.isEmpty()) {
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("state", to.dbName());
                context.put("exception", exception);
                context.put("max_tries", ti.maxTries());
                tx.callbackRequests()
                        .request(
                                key.dagId(),
                                key.runId(),
                                key.taskId(),
                                key.mapIndex(),
                                ti.tryNumber(),
                                event.orElseThrow(),
                                callbacks,
                                context);
            }
            return true;
        });
        if (won && outlets) {
            List<String> updated = new java.util.ArrayList<>(task.outletUris());
            aliasEvents.forEach(e -> updated.add(e.uri() + " (through alias " + e.alias() + ")"));
            log.line("Updated datasets: " + String.join(", ", updated));
        }
        if (won && !callbacks.isEmpty()) {
            log.line("Requested " + callbacks.size() + " " + event.orElseThrow().key() + " callback(s); a scheduler"
                    + " runs them and appends their output to this log.");
        }
        log.flush();
        return won;
    }
}
