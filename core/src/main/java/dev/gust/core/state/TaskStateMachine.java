package dev.gust.core.state;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of the task instance state changes Gust allows, as two tables: the engine's
 * (scheduler, executors, workers) and a user's (clear and mark), each edge with the reasons it
 * exists. Both are read off {@link TaskTransition}, where each edge belongs to a writer's intent:
 * a writer checks its change against its intent, then makes it with a conditional
 * {@code UPDATE ... WHERE state = ANY(:from)} (and the try number where a try exists): the table
 * says a change may happen at all, the {@code WHERE} says it still applies. A state never
 * "changes" to itself; a writer with nothing to change should not write.
 *
 * <p>Clearing a running task sets it to {@code restarting}, as Airflow does, not straight to
 * {@code none}: its runner (a thread here, a process, an ECS task) sees the change on its next
 * heartbeat and stops, and only then does the task instance go back to {@code none} to be
 * scheduled again. So a cleared task never runs twice at once. Airflow's {@code deferred} does not
 * exist in Gust: there are no deferrable operators.
 */
public final class TaskStateMachine {

    private static final Map<TaskState, Map<TaskState, String>> ENGINE = table(TaskTransition.Actor.ENGINE);
    private static final Map<TaskState, Map<TaskState, String>> USER = table(TaskTransition.Actor.USER);

    private TaskStateMachine() {}

    /** Whether a task instance may go from {@code from} to {@code to}, by the engine or by a user. */
    public static boolean allowed(TaskState from, TaskState to) {
        return allowedForEngine(from, to) || allowedForUser(from, to);
    }

    /** Whether the engine (scheduler, executors, workers) may move a task instance from {@code from} to {@code to}. */
    public static boolean allowedForEngine(TaskState from, TaskState to) {
        return ENGINE.get(from).containsKey(to);
    }

    /** Whether a user's clear or mark may move a task instance from {@code from} to {@code to}. */
    public static boolean allowedForUser(TaskState from, TaskState to) {
        return USER.get(from).containsKey(to);
    }

    /** Why the edge exists (several reasons joined by "; "), or empty when it does not. */
    public static Optional<String> reason(TaskState from, TaskState to) {
        String engine = ENGINE.get(from).get(to);
        String user = USER.get(from).get(to);
        if (engine == null || user == null) {
            return Optional.ofNullable(engine != null ? engine : user);
        }
        return Optional.of(engine + "; " + user);
    }

    /** The states {@code from} may go to. */
    public static Set<TaskState> targets(TaskState from) {
        Set<TaskState> targets = EnumSet.noneOf(TaskState.class);
        targets.addAll(ENGINE.get(from).keySet());
        targets.addAll(USER.get(from).keySet());
        return Collections.unmodifiableSet(targets);
    }

    private static Map<TaskState, Map<TaskState, String>> table(TaskTransition.Actor actor) {
        Map<TaskState, Map<TaskState, String>> edges = new EnumMap<>(TaskState.class);
        for (TaskState from : TaskState.values()) {
            Map<TaskState, String> targets = new EnumMap<>(TaskState.class);
            for (TaskTransition transition : TaskTransition.values()) {
                for (TaskState to : transition.to()) {
                    if (transition.actor() == actor && transition.allows(from, to)) {
                        targets.merge(to, transition.why(), (a, b) -> a + "; " + b);
                    }
                }
            }
            edges.put(from, Collections.unmodifiableMap(targets));
        }
        return Collections.unmodifiableMap(edges);
    }
}
