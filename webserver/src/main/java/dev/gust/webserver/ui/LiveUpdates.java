package dev.gust.webserver.ui;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.runs.DagRun;

/**
 * When a live part of a page (the grid, its panel, the graph, a task's state, the DAG list) keeps
 * asking for updates: while a run can still change by itself, that is while it runs or waits
 * queued on a DAG that is not paused. A queued run of a paused DAG waits for a person to unpause
 * it, so a page left open on it does not poll forever.
 */
final class LiveUpdates {

    private LiveUpdates() {}

    static boolean moving(DagRun run, boolean dagPaused) {
        return run != null && moving(run.state().dbName(), dagPaused);
    }

    /** As {@link #moving(DagRun, boolean)}, for a run state as stored ({@code "running"}). */
    static boolean moving(String runState, boolean dagPaused) {
        return DagRunState.RUNNING.dbName().equals(runState)
                || (DagRunState.QUEUED.dbName().equals(runState) && !dagPaused);
    }
}
