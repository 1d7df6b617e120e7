package dev.gust.core.state;

import static dev.gust.core.state.TaskState.FAILED;
import static dev.gust.core.state.TaskState.NONE;
import static dev.gust.core.state.TaskState.QUEUED;
import static dev.gust.core.state.TaskState.REMOVED;
import static dev.gust.core.state.TaskState.RESTARTING;
import static dev.gust.core.state.TaskState.RUNNING;
import static dev.gust.core.state.TaskState.SCHEDULED;
import static dev.gust.core.state.TaskState.SKIPPED;
import static dev.gust.core.state.TaskState.SUCCESS;
import static dev.gust.core.state.TaskState.UPSTREAM_FAILED;
import static dev.gust.core.state.TaskState.UP_FOR_RESCHEDULE;
import static dev.gust.core.state.TaskState.UP_FOR_RETRY;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one table of the task instance state changes Gust allows, each edge with the reason it
 * exists. Every writer checks its change here before its conditional
 * {@code UPDATE ... WHERE state = :from}: the table says a change may happen at all, the
 * {@code WHERE} says it still applies. A state never "changes" to itself; a writer with nothing
 * to change should not write.
 *
 * <p>Clearing a running task sets it to {@code restarting}, as Airflow does, not straight to
 * {@code none}: its runner (a thread here, a process, an ECS task) sees the change on its next
 * heartbeat and stops, and only then does the task instance go back to {@code none} to be
 * scheduled again. So a cleared task never runs twice at once. Airflow's {@code deferred} does not
 * exist in Gust: there are no deferrable operators.
 */
public final class TaskStateMachine {

    private static final Set<TaskState> ALL = EnumSet.allOf(TaskState.class);
    /** States the scheduler re-evaluates trigger rules for (Airflow's SCHEDULEABLE_STATES, plus scheduled). */
    private static final Set<TaskState> WAITING = EnumSet.of(NONE, SCHEDULED, UP_FOR_RETRY, UP_FOR_RESCHEDULE);

    private static final Map<TaskState, Map<TaskState, String>> EDGES = buildTable();

    private TaskStateMachine() {
    }

    private static Map<TaskState, Map<TaskState, String>> buildTable() {
        Table t = new Table();
        // The normal life of an attempt.
        t.edge(NONE, SCHEDULED, "the scheduler found the trigger rule met");
        t.edge(SCHEDULED, QUEUED, "the scheduler handed it to the executor (pool slot and concurrency granted)");
        t.edge(QUEUED, RUNNING, "a worker started the attempt");
        t.edge(RUNNING, SUCCESS, "the operator succeeded");
        t.edge(RUNNING, FAILED, "the operator failed with no retries left, or a zombie (lost heartbeat) with none left");
        t.edge(RUNNING, UP_FOR_RETRY, "the operator failed, or became a zombie, with retries left");
        t.edge(RUNNING, UP_FOR_RESCHEDULE, "a sensor in reschedule mode gave its slot back until its next poke");
        t.edge(RUNNING, SKIPPED, "the operator asked to be skipped (Airflow's AirflowSkipException)");
        t.edge(UP_FOR_RETRY, SCHEDULED, "the retry delay elapsed and the trigger rule still holds");
        t.edge(UP_FOR_RESCHEDULE, SCHEDULED, "the reschedule date was reached and the trigger rule still holds");

        // The scheduler or executor taking work back.
        t.edge(SCHEDULED, FAILED, "its pool does not exist, so it could never be queued");
        t.edge(QUEUED, SCHEDULED, "the scheduler re-queues it: the executor refused it or it sat queued too long");
        t.edge(QUEUED, FAILED, "the executor could not start it and no retries are left");
        t.edge(QUEUED, UP_FOR_RETRY, "the executor could not start it and retries are left");
        t.edge(QUEUED, NONE, "the scheduler that queued it died; the orphan is reset to be scheduled again");
        t.edge(RUNNING, NONE, "the scheduler that queued it died and no runner adopted it; the orphan is reset");

        // A user clears a running task: its runner stops first, then it is scheduled again.
        t.edge(RUNNING, RESTARTING, "cleared by a user while it ran: its runner is told to stop");
        t.edge(RESTARTING, NONE, "its runner stopped (or was found dead): it is scheduled again as a new try");

        // Trigger rules deciding without running the task (TriggerRuleEvaluator).
        for (TaskState waiting : WAITING) {
            t.edge(waiting, UPSTREAM_FAILED, "its trigger rule can no longer be met because upstream tasks failed");
            t.edge(waiting, SKIPPED, "its trigger rule decided to skip it, or a branch did not follow it");
        }

        // The DAG changed under the run.
        for (TaskState any : ALL) {
            t.edge(any, REMOVED, "the task is no longer in the DAG, or its map index is past the new expansion length");
        }
        t.edge(REMOVED, NONE, "the task is back in the DAG, or it was cleared");

        // A user clears (with or without downstream), or a dag run is re-run. A running task
        // instance goes through restarting instead (above).
        for (TaskState any : EnumSet.complementOf(EnumSet.of(RUNNING, RESTARTING))) {
            t.edge(any, NONE, "cleared by a user: it will be scheduled again");
        }

        // A user marks success, failed or skipped (UI, API, CLI); a dag run timing out or marked
        // failed skips its unfinished tasks. Airflow allows these from every state: the runner of a
        // running attempt notices the change on its next heartbeat and stops.
        for (TaskState any : EnumSet.complementOf(EnumSet.of(REMOVED))) {
            t.edge(any, SUCCESS, "marked success by a user");
            t.edge(any, FAILED, "marked failed by a user, or its dag run was marked failed while it ran");
            t.edge(any, SKIPPED, "marked skipped by a user, or its dag run timed out or was marked failed");
        }
        return t.freeze();
    }

    /** Whether a task instance may go from {@code from} to {@code to}. */
    public static boolean allowed(TaskState from, TaskState to) {
        return EDGES.get(from).containsKey(to);
    }

    /** Throws {@link IllegalTransitionException} unless {@link #allowed}. */
    public static void check(TaskState from, TaskState to) {
        if (allowed(from, to)) {
            return;
        }
        String targets = targets(from).stream().map(TaskState::dbName).collect(Collectors.joining(", "));
        throw new IllegalTransitionException(from, to, "a task instance cannot go from '" + from.dbName() + "' to '"
                + to.dbName() + "'; from '" + from.dbName() + "' it may go to: " + targets);
    }

    /** Why the edge exists (several reasons joined by "; "), or empty when it does not. */
    public static Optional<String> reason(TaskState from, TaskState to) {
        return Optional.ofNullable(EDGES.get(from).get(to));
    }

    /** The states {@code from} may go to. */
    public static Set<TaskState> targets(TaskState from) {
        Set<TaskState> targets = EnumSet.noneOf(TaskState.class);
        targets.addAll(EDGES.get(from).keySet());
        return Collections.unmodifiableSet(targets);
    }

    private static final class Table {
        private final Map<TaskState, Map<TaskState, String>> edges = new EnumMap<>(TaskState.class);

        Table() {
            for (TaskState state : TaskState.values()) {
                edges.put(state, new EnumMap<>(TaskState.class));
            }
        }

        void edge(TaskState from, TaskState to, String why) {
            if (from != to) {
                edges.get(from).merge(to, why, (a, b) -> a + "; " + b);
            }
        }

        Map<TaskState, Map<TaskState, String>> freeze() {
            Map<TaskState, Map<TaskState, String>> frozen = new EnumMap<>(TaskState.class);
            edges.forEach((from, targets) -> frozen.put(from, Collections.unmodifiableMap(targets)));
            return Collections.unmodifiableMap(frozen);
        }
    }
}
