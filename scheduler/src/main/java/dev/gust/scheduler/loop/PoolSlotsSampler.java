package dev.gust.scheduler.loop;

import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.store.Stores;
import dev.gust.core.store.pools.Pool;
import java.util.Map;

/**
 * Reads every pool's slots (open, taken by queued, taken by running task instances) into the
 * {@code pool.*_slots} gauges, and the wait of the longest-queued task instance. Three small queries, run on the sweepers' cadence rather than in
 * every scheduling round, so the gauges cost the loop nothing.
 */
public final class PoolSlotsSampler {

    private final Stores stores;
    private final GustMetrics metrics;

    public PoolSlotsSampler(Stores stores, GustMetrics metrics) {
        this.stores = stores;
        this.metrics = metrics;
    }

    public void sample() {
        Map<String, long[]> taken = stores.taskInstances().slotsByPoolQueuedRunning();
        for (Pool pool : stores.pools().list()) {
            long[] queuedRunning = taken.getOrDefault(pool.name(), new long[2]);
            long open = pool.slots() < 0 ? -1 : Math.max(0, pool.slots() - queuedRunning[0] - queuedRunning[1]);
            metrics.poolSlots(pool.name(), open, queuedRunning[0], queuedRunning[1]);
        }
        metrics.oldestQueuedTask(stores.taskInstances().oldestQueuedAge());
    }
}
