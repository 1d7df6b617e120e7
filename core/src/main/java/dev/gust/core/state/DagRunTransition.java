package dev.gust.core.state;

import static dev.gust.core.state.DagRunState.FAILED;
import static dev.gust.core.state.DagRunState.QUEUED;
import static dev.gust.core.state.DagRunState.RUNNING;
import static dev.gust.core.state.DagRunState.SUCCESS;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DAG run state changes Gust allows, each with why it exists: the scheduling loop starts a
 * queued run and finishes a running one (its task instances decided, or dagrun_timeout passed);
 * a user marks a run success, failed or queued from any state, as Airflow does; a clear, or a
 * mark of its task instances, puts a finished run back to queued so that the loop decides it
 * again. A run never goes to running but from queued: only the loop starts runs, within
 * max_active_runs. {@code DagRunRepository} checks every change here before its conditional
 * {@code UPDATE}.
 */
public enum DagRunTransition {
    START("the scheduling loop started it within max_active_runs", Set.of(QUEUED), Set.of(RUNNING)),
    FINISH(
            "its task instances decided its outcome, or it passed dagrun_timeout",
            Set.of(RUNNING),
            Set.of(SUCCESS, FAILED)),
    REQUEUE(
            "a clear or a mark of its task instances: the loop decides its outcome again",
            DagRunState.FINISHED,
            Set.of(QUEUED)),
    MARK("marked by a user (UI, API, CLI)", EnumSet.allOf(DagRunState.class), Set.of(SUCCESS, FAILED, QUEUED));

    private final String why;
    private final Set<DagRunState> from;
    private final Set<DagRunState> to;

    DagRunTransition(String why, Set<DagRunState> from, Set<DagRunState> to) {
        this.why = why;
        this.from = Collections.unmodifiableSet(EnumSet.copyOf(from));
        this.to = Collections.unmodifiableSet(EnumSet.copyOf(to));
    }

    public String why() {
        return why;
    }

    /** The states this change moves a run from: what its {@code UPDATE}'s {@code WHERE} admits. */
    public Set<DagRunState> from() {
        return from;
    }

    /** Whether this change moves a run from {@code from} to {@code to}; never to itself. */
    public boolean allows(DagRunState from, DagRunState to) {
        return from != to && this.from.contains(from) && this.to.contains(to);
    }

    /** Whether any change moves a run from {@code from} to {@code to}. */
    public static boolean allowed(DagRunState from, DagRunState to) {
        return Arrays.stream(values()).anyMatch(t -> t.allows(from, to));
    }

    /** Throws {@link IllegalStateException} unless {@link #allowed}: a writer's bug, never a user's. */
    public static void check(DagRunState from, DagRunState to) {
        if (!allowed(from, to)) {
            String targets = Arrays.stream(DagRunState.values())
                    .filter(t -> allowed(from, t))
                    .map(DagRunState::dbName)
                    .collect(Collectors.joining(", "));
            throw new IllegalStateException("a DAG run cannot go from '" + from.dbName() + "' to '" + to.dbName()
                    + "'; from '" + from.dbName() + "' it may go to: " + targets);
        }
    }
}
