package dev.gust.core.state;

import java.util.Optional;

/**
 * What a task's trigger rule says about it now: run it, wait for more upstream tasks to finish,
 * or settle it without running as {@code skipped} or {@code upstream_failed}.
 */
public enum TriggerDecision {
    RUN,
    WAIT,
    SKIP,
    UPSTREAM_FAILED;

    /** The state a task instance takes on this decision without running, if any. */
    public Optional<TaskState> settledState() {
        return switch (this) {
            case SKIP -> Optional.of(TaskState.SKIPPED);
            case UPSTREAM_FAILED -> Optional.of(TaskState.UPSTREAM_FAILED);
            case RUN, WAIT -> Optional.empty();
        };
    }
}
