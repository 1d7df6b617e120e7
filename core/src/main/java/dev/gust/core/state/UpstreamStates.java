package dev.gust.core.state;

import java.util.Collection;

/**
 * How many of a task instance's direct upstream task instances are in each finished state, out
 * of {@code total} (a mapped upstream task counts once per instance). The ones not counted in a
 * finished state are unfinished: none, scheduled, queued, running, restarting, up_for_retry,
 * up_for_reschedule.
 */
public record UpstreamStates(int total, int success, int failed, int upstreamFailed, int skipped, int removed) {

    public static final UpstreamStates NONE = new UpstreamStates(0, 0, 0, 0, 0, 0);

    public UpstreamStates {
        if (total < 0 || success < 0 || failed < 0 || upstreamFailed < 0 || skipped < 0 || removed < 0) {
            throw new IllegalArgumentException("upstream counts cannot be negative: "
                    + describe(total, success, failed, upstreamFailed, skipped, removed));
        }
        if (success + failed + upstreamFailed + skipped + removed > total) {
            throw new IllegalArgumentException("more finished upstream task instances than upstream task instances: "
                    + describe(total, success, failed, upstreamFailed, skipped, removed));
        }
    }

    /** Counts the given upstream task instance states. */
    public static UpstreamStates of(Collection<TaskState> states) {
        int success = 0;
        int failed = 0;
        int upstreamFailed = 0;
        int skipped = 0;
        int removed = 0;
        for (TaskState state : states) {
            switch (state) {
                case SUCCESS -> success++;
                case FAILED -> failed++;
                case UPSTREAM_FAILED -> upstreamFailed++;
                case SKIPPED -> skipped++;
                case REMOVED -> removed++;
                default -> {}
            }
        }
        return new UpstreamStates(states.size(), success, failed, upstreamFailed, skipped, removed);
    }

    /** Finished upstream task instances: Airflow's "done", every {@link TaskState#isFinished()} state. */
    public int done() {
        return success + failed + upstreamFailed + skipped + removed;
    }

    public int unfinished() {
        return total - done();
    }

    @Override
    public String toString() {
        return describe(total, success, failed, upstreamFailed, skipped, removed);
    }

    private static String describe(int total, int success, int failed, int upstreamFailed, int skipped, int removed) {
        return "total=" + total + " success=" + success + " failed=" + failed + " upstream_failed=" + upstreamFailed
                + " skipped=" + skipped + " removed=" + removed;
    }
}
