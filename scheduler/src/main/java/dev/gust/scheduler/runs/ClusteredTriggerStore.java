package dev.gust.scheduler.runs;

import java.time.Duration;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;

/**
 * Quartz's clustered JDBC job store with a shorter grace before a silent node is declared failed.
 * Quartz adds a fixed 7.5 s to the check-in interval before another node takes over a silent
 * node's triggers, which alone puts a schedule's failover above 10 s; Gust waits
 * {@link #FAILURE_GRACE} instead. Declaring a node failed that was only slow (a long GC pause, a
 * stalled database connection, clocks apart by more than the grace) costs one extra firing of the
 * triggers it held, and a firing only creates the due runs, which are unique per DAG and logical
 * date: the extra firing creates nothing.
 */
public final class ClusteredTriggerStore extends JobStoreTX {

    /** How long past its check-in interval a node may stay silent before its triggers move. */
    static final Duration FAILURE_GRACE = Duration.ofSeconds(2);

    @Override
    protected long calcFailedIfAfter(SchedulerStateRecord node) {
        // as Quartz does: a node that was itself silent for longer (its own pause) waits that long
        long silence = Math.max(node.getCheckinInterval(), System.currentTimeMillis() - lastCheckin);
        return node.getCheckinTimestamp() + silence + FAILURE_GRACE.toMillis();
    }
}
