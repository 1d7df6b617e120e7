package dev.gust.core.state;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's rule for the state shown for a task group in one run: the first state, in an order
 * that puts trouble first and what is done last, held by any of the group's task instances.
 * A failed task makes the group failed, whatever the others did; the group is success only when
 * every task instance is success, skipped or removed and at least one is success.
 */
public final class TaskGroupState {

    /** Airflow's priority (its grid's), without {@code deferred}, which Gust does not have. */
    static final List<TaskState> PRIORITY = List.of(
            TaskState.FAILED,
            TaskState.UPSTREAM_FAILED,
            TaskState.UP_FOR_RETRY,
            TaskState.UP_FOR_RESCHEDULE,
            TaskState.QUEUED,
            TaskState.SCHEDULED,
            TaskState.RUNNING,
            TaskState.RESTARTING,
            TaskState.NONE,
            TaskState.SUCCESS,
            TaskState.SKIPPED,
            TaskState.REMOVED);

    private TaskGroupState() {}

    /** The group's state, or empty when it has no task instance in the run. */
    public static Optional<TaskState> of(Collection<TaskState> states) {
        return PRIORITY.stream().filter(states::contains).findFirst();
    }
}
