package dev.gust.scheduler.loop;

import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.store.Params;
import dev.gust.core.store.Stores;
import dev.gust.core.store.pools.Pool;
import dev.gust.core.store.runs.QueueCandidate;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

/**
 * Moves scheduled task instances to queued, highest priority first, as far as pools and each
 * DAG's {@code max_active_tasks} allow. It counts what is in flight and queues in one
 * transaction under a PostgreSQL advisory lock, so that several schedulers never overbook a pool
 * between their count and their update. A task's {@code max_active_tis_per_dag} and
 * {@code max_active_tis_per_dagrun} (Airflow's per-task limits, which a mapped task's instances
 * count against) hold back its instances the same way.
 */
final class TaskQueuer {

    /** Any fixed number: the lock that serialises queueing decisions across schedulers. */
    private static final long QUEUE_LOCK = 0x6775737471L;

    /** The most candidates one round weighs, in pages that double from {@link #FIRST_PAGE}. */
    private static final int CANDIDATES_PER_ROUND = 4096;
    /**
     * Reading all 4,096 candidates every round, when only the free slots can be filled, was the
     * round's largest read under load; a page of this many covers the free slots of most
     * deployments, and a next page is read only while slots are left and candidates were skipped
     * for their DAG's or task's limits.
     */
    private static final int FIRST_PAGE = 256;

    private final Stores stores;
    private final RunFilter runFilter;
    private final GustMetrics metrics;

    TaskQueuer(Stores stores, RunFilter runFilter, GustMetrics metrics) {
        this.stores = stores;
        this.runFilter = runFilter;
        this.metrics = metrics;
    }

    /**
     * A task whose pool does not exist could never run; waiting forever would hide the mistake,
     * so it fails with the reason in its log.
     */
    private static void failInMissingPools(
            Stores tx, TaskInstanceRepository tasks, List<QueueCandidate> inMissingPools) {
        TaskLogRepository logs = tx.taskLogs();
        for (QueueCandidate ti : inMissingPools) {
            if (tasks.failUnqueueable(ti.key())) {
                logs.appendLine(
                        ti.key(),
                        ti.tryNumber() + 1,
                        java.time.Instant.now(),
                        "Task failed: pool '" + ti.pool()
                                + "' does not exist; create it ('gust pools set " + ti.pool()
                                + " SLOTS') or use another pool"
                                + " in the DAG file");
            }
        }
    }

    /**
     * Queues what fits, as {@code schedulerJobId}'s; {@code maxActiveTasks} gives each DAG's limit,
     * {@code tasks} a task's definition by DAG and task id (null when gone) for its own limits.
     *
     * @return how many task instances were queued
     */
    int queue(
            Long schedulerJobId,
            ToIntFunction<String> maxActiveTasks,
            BiFunction<String, String, TaskSpec> taskDefinitions) {
        return stores.inTransaction(tx -> {
            tx.jdbc().queryOne("SELECT pg_advisory_xact_lock(:lock)", Params.of("lock", QUEUE_LOCK), row -> 1);
            TaskInstanceRepository tasks = tx.taskInstances();
            int pageSize = FIRST_PAGE;
            List<QueueCandidate> page = tasks.scheduledCandidates(pageSize, 0, runFilter);
            if (page.isEmpty()) {
                metrics.tasksStarving(0);
                return 0;
            }
            Map<String, Integer> freeSlots = new HashMap<>();
            for (Pool pool : tx.pools().list()) {
                freeSlots.put(pool.name(), pool.slots() < 0 ? Integer.MAX_VALUE : pool.slots());
            }
            TaskInstanceRepository.InFlightCounts inFlight = tasks.inFlightCounts();
            inFlight.slotsByPool()
                    .forEach((pool, used) -> freeSlots.computeIfPresent(
                            pool, (p, free) -> free == Integer.MAX_VALUE ? free : free - used));
            Map<String, Integer> inFlightByDag = new HashMap<>(inFlight.byDag());
            Map<String, Integer> inFlightByTask = new HashMap<>();
            Map<String, Integer> inFlightByRunTask = new HashMap<>();
            for (TaskInstanceRepository.InFlight f : inFlight.byRunAndTask()) {
                inFlightByTask.merge(f.dagId() + "\u0000" + f.taskId(), f.count(), Integer::sum);
                inFlightByRunTask.merge(
                        f.dagId() + "\u0000" + f.runId() + "\u0000" + f.taskId(), f.count(), Integer::sum);
            }

            List<TaskInstanceKey> toQueue = new ArrayList<>();
            List<QueueCandidate> inMissingPools = new ArrayList<>();
            Set<TaskInstanceKey> seen = new HashSet<>();
            int starving = 0;
            int offset = 0;
            while (true) {
                offset += page.size();
                for (QueueCandidate ti : page) {
                    if (!seen.add(ti.key())) {
                        continue; // seen on the page before: a task scheduled meanwhile moved the pages
                    }
                    if (!freeSlots.containsKey(ti.pool())) {
                        inMissingPools.add(ti);
                        continue;
                    }
                    int free = freeSlots.get(ti.pool());
                    int dagInFlight = inFlightByDag.getOrDefault(ti.key().dagId(), 0);
                    if (free < ti.poolSlots()) {
                        starving++;
                        continue;
                    }
                    if (dagInFlight >= maxActiveTasks.applyAsInt(ti.key().dagId())) {
                        continue;
                    }
                    String taskKey = ti.key().dagId() + "\u0000" + ti.taskId();
                    String runTaskKey = ti.key().dagId() + "\u0000" + ti.key().runId() + "\u0000" + ti.taskId();
                    TaskSpec spec = taskDefinitions.apply(ti.key().dagId(), ti.taskId());
                    if (spec != null
                            && (atLimit(spec.maxActiveTisPerDag(), inFlightByTask.getOrDefault(taskKey, 0))
                                    || atLimit(
                                            spec.maxActiveTisPerDagrun(),
                                            inFlightByRunTask.getOrDefault(runTaskKey, 0)))) {
                        continue;
                    }
                    inFlightByTask.merge(taskKey, 1, Integer::sum);
                    inFlightByRunTask.merge(runTaskKey, 1, Integer::sum);
                    freeSlots.put(ti.pool(), free == Integer.MAX_VALUE ? free : free - ti.poolSlots());
                    inFlightByDag.put(ti.key().dagId(), dagInFlight + 1);
                    toQueue.add(ti.key());
                }
                if (page.size() < pageSize
                        || offset >= CANDIDATES_PER_ROUND
                        || freeSlots.values().stream().allMatch(free -> free <= 0)) {
                    // nothing more to read, or no pool has a slot left for what a next page holds
                    break;
                }
                pageSize = Math.min(pageSize * 2, CANDIDATES_PER_ROUND - offset);
                page = tasks.scheduledCandidates(pageSize, offset, runFilter);
            }
            metrics.tasksStarving(starving);
            failInMissingPools(tx, tasks, inMissingPools);
            return tasks.queueAll(toQueue, schedulerJobId).size();
        });
    }

    private static boolean atLimit(Integer limit, int inFlight) {
        return limit != null && inFlight >= limit;
    }
}
