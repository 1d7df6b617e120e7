package dev.gust.core.store.pools;

/**
 * A pool and the slots its task instances hold right now: {@code running} and {@code queued} are
 * sums of {@code pool_slots}, as the scheduler counts them when it decides what may be queued.
 */
public record PoolUsage(Pool pool, int running, int queued) {

    /** Slots still free; -1 for an unlimited pool. Never below zero, even after a pool was shrunk. */
    public int openSlots() {
        if (pool.slots() < 0) {
            return -1;
        }
        return Math.max(0, pool.slots() - running - queued);
    }
}
