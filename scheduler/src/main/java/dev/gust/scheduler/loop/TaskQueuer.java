package dev.gust.scheduler.loop;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.pools.Pool;
import dev.gust.core.store.pools.PoolRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstanceRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Moves scheduled task instances to queued, highest priority first, as far as pools and each
 * DAG's {@code max_active_tasks} allow. It counts what is in flight and queues in one
 * transaction under a PostgreSQL advisory lock, so that several schedulers never overbook a pool
 * between their count and their update.
 */
final class TaskQueuer {

    /** Any fixed number: the lock that serialises queueing decisions across schedulers. */
    private static final long QUEUE_LOCK = 0x6775737471L;
    private static final int CANDIDATES_PER_ROUND = 4096;

    private final Jdbc jdbc;
    private final RunFilter runFilter;

    TaskQueuer(Jdbc jdbc, RunFilter runFilter) {
        this.jdbc = jdbc;
        this.runFilter = runFilter;
    }

    /**
     * Queues what fits; {@code maxActiveTasks} gives each DAG's limit.
     *
     * @return how many task instances were queued
     */
    int queue(ToIntFunction<String> maxActiveTasks) {
        return jdbc.inTransaction(tx -> {
            tx.queryOne("SELECT pg_advisory_xact_lock(:lock)", Params.of("lock", QUEUE_LOCK), row -> 1);
            TaskInstanceRepository tasks = new TaskInstanceRepository(tx);
            List<TaskInstance> candidates = tasks.listScheduled(CANDIDATES_PER_ROUND, runFilter);
            if (candidates.isEmpty()) {
                return 0;
            }
            Map<String, Integer> freeSlots = new HashMap<>();
            for (Pool pool : new PoolRepository(tx).list()) {
                freeSlots.put(pool.name(), pool.slots() < 0 ? Integer.MAX_VALUE : pool.slots());
            }
            tasks.slotsInFlightByPool().forEach((pool, used) -> freeSlots.computeIfPresent(pool, (p, free) ->
                    free == Integer.MAX_VALUE ? free : free - used));
            Map<String, Integer> inFlightByDag = new HashMap<>(tasks.inFlightByDag());

            List<TaskInstanceKey> toQueue = new ArrayList<>();
            for (TaskInstance ti : candidates) {
                int free = freeSlots.getOrDefault(ti.pool(), 0);
                int dagInFlight = inFlightByDag.getOrDefault(ti.key().dagId(), 0);
                if (free < ti.poolSlots() || dagInFlight >= maxActiveTasks.applyAsInt(ti.key().dagId())) {
                    continue;
                }
                freeSlots.put(ti.pool(), free == Integer.MAX_VALUE ? free : free - ti.poolSlots());
                inFlightByDag.put(ti.key().dagId(), dagInFlight + 1);
                toQueue.add(ti.key());
            }
            return tasks.transitionAll(toQueue, TaskState.SCHEDULED, TaskState.QUEUED).size();
        });
    }
}
