package dev.gust.core.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of a task instance, Airflow's (without {@code deferred}: Gust has no deferrable
 * operators), under the names stored in the database and shown everywhere ({@code none},
 * {@code up_for_retry}, ...). Which state may follow which is {@link TaskStateMachine}'s business,
 * in one place. The groups of states that rules and queries talk about ({@link #FINISHED},
 * {@link #UNFINISHED}, {@link #IN_FLIGHT}, {@link #HEARTBEATING}) are defined here once; SQL binds
 * them as array parameters ({@code state = ANY(:states)}) instead of restating them.
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

    /** By database name; parsing runs for every row the scheduler reads, so it is a map look-up. */
    private static final Map<String, TaskState> BY_DB_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(TaskState::dbName, s -> s));

    /** States a task instance will not leave by itself, only by a clear (Airflow's {@code State.finished}). */
    public static final Set<TaskState> FINISHED = group(SUCCESS, FAILED, UPSTREAM_FAILED, SKIPPED, REMOVED);

    /** Every other state: the task instance still has work ahead (Airflow's {@code State.unfinished}). */
    public static final Set<TaskState> UNFINISHED =
            Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.copyOf(FINISHED)));

    /**
     * A try holds a runner (a thread, a process, an ECS task): it takes a pool slot and counts
     * against the DAG's concurrency.
     */
    public static final Set<TaskState> IN_FLIGHT = group(QUEUED, RUNNING, RESTARTING);

    /**
     * A runner has started the try and heartbeats it: a running try, or a cleared one whose runner
     * is still stopping. A missing heartbeat in these states makes a zombie.
     */
    public static final Set<TaskState> HEARTBEATING = group(RUNNING, RESTARTING);

    private final String dbName = name().toLowerCase(Locale.ROOT);

    /** The name in the database, the API and the UI. */
    public String dbName() {
        return dbName;
    }

    public static TaskState fromDbName(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown task state '" + name + "'"));
    }

    public static Optional<TaskState> parse(String name) {
        return Optional.ofNullable(name == null ? null : BY_DB_NAME.get(name));
    }

    /**
     * A try holds a runner (a thread, a process, an ECS task) in this state: it takes a pool slot
     * and counts against the DAG's concurrency.
     */
    public boolean isInFlight() {
        return IN_FLIGHT.contains(this);
    }

    /** A state the task instance will not leave by itself (only a clear moves it). */
    public boolean isFinished() {
        return FINISHED.contains(this);
    }

    private static Set<TaskState> group(TaskState first, TaskState... rest) {
        return Collections.unmodifiableSet(EnumSet.of(first, rest));
    }
}
