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
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Why a task instance changes state: each thing a writer means to do (schedule, queue, claim,
 * finish a try, ...), with the states it may move a task instance from and the states it may move
 * it to. Every edge of {@link TaskStateMachine} is one of these intents; a writer names its intent,
 * checks its change against it, and guards its {@code UPDATE} with the intent's from-states, so the
 * table and the {@code WHERE} say the same thing. The engine's intents come first; a user's
 * ({@link Actor#USER}: clear and mark) are kept apart, as they may move a task instance out of
 * states the engine never leaves.
 */
public enum TaskTransition {

    // The engine: the normal life of an attempt.
    SCHEDULE(
            Actor.ENGINE,
            "the trigger rule is met, or the retry delay or the reschedule date has come",
            Set.of(NONE, UP_FOR_RETRY, UP_FOR_RESCHEDULE),
            Set.of(SCHEDULED)),
    QUEUE(
            Actor.ENGINE,
            "the scheduler handed it to an executor (pool slot and concurrency granted)",
            Set.of(SCHEDULED),
            Set.of(QUEUED)),
    FAIL_UNQUEUEABLE(
            Actor.ENGINE, "its pool does not exist, so it could never be queued", Set.of(SCHEDULED), Set.of(FAILED)),
    REQUEUE(
            Actor.ENGINE,
            "it sat queued longer than task_queued_timeout: it is queued again within the limits of" + " the moment",
            Set.of(QUEUED),
            Set.of(SCHEDULED)),
    CLAIM(Actor.ENGINE, "an executor or a worker started the attempt", Set.of(QUEUED), Set.of(RUNNING)),
    FINISH_TRY(
            Actor.ENGINE,
            "the attempt ended as its operator decided (success, failure with or without retries"
                    + " left, skip, a sensor's reschedule), or its runner stopped heartbeating (a zombie)",
            Set.of(RUNNING),
            Set.of(SUCCESS, FAILED, UP_FOR_RETRY, UP_FOR_RESCHEDULE, SKIPPED)),
    RELEASE_UNFINISHED(
            Actor.ENGINE,
            "a scheduler shutting down stopped the attempt: it is retried at once," + " without counting the try",
            Set.of(RUNNING),
            Set.of(UP_FOR_RETRY)),
    RELEASE_CLEARED(
            Actor.ENGINE,
            "the runner of a cleared try stopped (or was found dead): it is scheduled again" + " as a new try",
            Set.of(RESTARTING),
            Set.of(NONE)),
    DECIDE_WITHOUT_RUNNING(
            Actor.ENGINE,
            "its trigger rule decided to skip it or can no longer be met because"
                    + " upstream tasks failed, or a branch did not follow it",
            Set.of(NONE),
            Set.of(SKIPPED, UPSTREAM_FAILED)),
    FAIL_UNMAPPABLE(
            Actor.ENGINE,
            "it is a mapped task whose input is not a list or is longer than core.max_map_length",
            Set.of(NONE),
            Set.of(FAILED)),
    REMOVE_PAST_MAPPED_END(
            Actor.ENGINE,
            "it is an instance of a cleared mapped task whose input now has fewer items (Airflow's removed)",
            Set.of(NONE),
            Set.of(REMOVED)),
    TIME_OUT_RUN(
            Actor.ENGINE,
            "its DAG run passed dagrun_timeout: what has not finished is skipped",
            TaskState.UNFINISHED,
            Set.of(SKIPPED)),

    // A user (UI, API, CLI).
    CLEAR(
            Actor.USER,
            "cleared by a user: it will be scheduled again",
            EnumSet.complementOf(EnumSet.of(RUNNING, RESTARTING)),
            Set.of(NONE)),
    CLEAR_RUNNING(
            Actor.USER,
            "cleared by a user while it ran: its runner is told to stop, then it is scheduled" + " again",
            Set.of(RUNNING),
            Set.of(RESTARTING)),
    MARK(
            Actor.USER,
            "marked by a user, or by marking its DAG run; as in Airflow from any state but removed, and"
                    + " the runner of a running attempt notices on its next heartbeat and stops",
            EnumSet.complementOf(EnumSet.of(REMOVED)),
            Set.of(SUCCESS, FAILED, SKIPPED));

    /** Who makes the change. */
    public enum Actor {
        /** The scheduler, an executor or a worker, as part of running DAGs. */
        ENGINE,
        /** Someone clearing or marking task instances. */
        USER
    }

    private final Actor actor;
    private final String why;
    private final Set<TaskState> from;
    private final Set<TaskState> to;

    TaskTransition(Actor actor, String why, Set<TaskState> from, Set<TaskState> to) {
        this.actor = actor;
        this.why = why;
        this.from = Collections.unmodifiableSet(EnumSet.copyOf(from));
        this.to = Collections.unmodifiableSet(EnumSet.copyOf(to));
    }

    public Actor actor() {
        return actor;
    }

    /** Why a task instance changes this way, in words for a reader of the table. */
    public String why() {
        return why;
    }

    /** The states this intent moves a task instance from: what its {@code UPDATE}'s {@code WHERE} admits. */
    public Set<TaskState> from() {
        return from;
    }

    /** The states this intent moves a task instance to. */
    public Set<TaskState> to() {
        return to;
    }

    /** Whether this intent moves a task instance from {@code from} to {@code to}; never to itself. */
    public boolean allows(TaskState from, TaskState to) {
        return from != to && this.from.contains(from) && this.to.contains(to);
    }

    /** Throws {@link IllegalTransitionException} unless {@link #allows}: a writer's bug, never a user's. */
    public void check(TaskState from, TaskState to) {
        if (!allows(from, to)) {
            throw new IllegalTransitionException(
                    from,
                    to,
                    "a task instance cannot go from '" + from.dbName()
                            + "' to '" + to.dbName() + "' by " + label() + "; " + label() + " goes from "
                            + names(this.from)
                            + " to " + names(this.to));
        }
    }

    /** {@link #check} for every state of {@code from}: a batch whose rows may be in any of them. */
    public void checkAll(Set<TaskState> from, TaskState to) {
        for (TaskState state : from) {
            check(state, to);
        }
    }

    /** The intent's name as written in messages: {@code finish_try}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String names(Set<TaskState> states) {
        return states.stream().map(TaskState::dbName).collect(Collectors.joining(", ", "{", "}"));
    }
}
