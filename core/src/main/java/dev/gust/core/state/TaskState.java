package dev.gust.core.state;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The states of a task instance, Airflow's (without {@code deferred}: Gust has no deferrable
 * operators), under the names stored in the database and shown everywhere ({@code none},
 * {@code up_for_retry}, ...). Which state may follow which is {@link TaskStateMachine}'s business,
 * in one place.
 */
public enum TaskState {
    NONE,
    SCHEDULED,
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED,
    UP_FOR_RETRY,
    UP_FOR_RESCHEDULE,
    UPSTREAM_FAILED,
    SKIPPED,
    REMOVED,
    /** Cleared while it ran: its runner is stopping; it goes back to none once the runner is gone. */
    RESTARTING;

    /** The name in the database, the API and the UI. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskState fromDbName(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown task state '" + name + "'"));
    }

    public static Optional<TaskState> parse(String name) {
        return Arrays.stream(values()).filter(s -> s.dbName().equals(name)).findFirst();
    }

    /**
     * A try holds a runner (a thread, a process, an ECS task) in this state: it takes a pool slot
     * and counts against the DAG's concurrency.
     */
    public boolean isInFlight() {
        return this == QUEUED || this == RUNNING || this == RESTARTING;
    }

    /** A state the task instance will not leave by itself (only a clear moves it). */
    public boolean isFinished() {
        return switch (this) {
            case SUCCESS, FAILED, UPSTREAM_FAILED, SKIPPED, REMOVED -> true;
            default -> false;
        };
    }
}
