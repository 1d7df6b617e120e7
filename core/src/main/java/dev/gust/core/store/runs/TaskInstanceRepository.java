package dev.gust.core.store.runs;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.state.TaskTransition;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code task_instance} table. Every state change is a method named for its intent (schedule,
 * queue, claim, finish a try, release, clear, mark), checked against that {@link TaskTransition}
 * and made by a conditional UPDATE ({@code ... AND state = :from}, and the try number where a try
 * exists): when two processes race, exactly one wins and the other sees that it lost. Groups of
 * states are bound from {@link TaskState}'s groups ({@code state = ANY(:inFlight)}), never
 * restated here. Batch forms move many rows in one statement, which is what makes thousands of
 * task instances per second possible.
 */
public final class TaskInstanceRepository {

    /** The states a scheduling round decides from: waiting for their upstreams, or for their next try. */
    private static final Set<TaskState> DECIDABLE =
            EnumSet.of(TaskState.NONE, TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE);

    private static final String COLUMNS = """
            dag_id, run_id, task_id, map_index, state, try_number, max_tries, hostname, pid, last_heartbeat_at,
            queued_by_job_id, external_executor_id, pool, pool_slots, priority_weight, operator, queued_at,
            start_date, end_date, duration, next_retry_at, first_try_started_at, executor, rendered_map_index""";

    /** {@link #COLUMNS} qualified with the alias {@code ti}, for queries that join other tables. */
    private static final String TI_COLUMNS =
            COLUMNS.lines().map(String::strip).reduce("", String::concat).replaceAll("(^|,\\s*)(\\w+)", "$1ti.$2");

    /** {@link #COLUMNS} qualified with the table's name, for RETURNING from an UPDATE ... FROM. */
    private static final String QUALIFIED_COLUMNS = TI_COLUMNS.replace("ti.", "task_instance.");

    static final RowMapper<TaskInstance> TASK_INSTANCE = row -> new TaskInstance(
            new TaskInstanceKey(
                    row.getString("dag_id"),
                    row.getString("run_id"),
                    row.getString("task_id"),
                    row.getInt("map_index")),
            TaskState.fromDbName(row.getString("state")),
            row.getInt("try_number"),
            row.getInt("max_tries"),
            row.getString("hostname"),
            Jdbc.nullableInt(row, "pid"),
            Jdbc.instant(row, "last_heartbeat_at"),
            (Long) row.getObject("queued_by_job_id"),
            row.getString("external_executor_id"),
            row.getString("pool"),
            row.getInt("pool_slots"),
            row.getInt("priority_weight"),
            row.getString("operator"),
            Jdbc.instant(row, "queued_at"),
            Jdbc.instant(row, "start_date"),
            Jdbc.instant(row, "end_date"),
            (Double) row.getObject("duration"),
            Jdbc.instant(row, "next_retry_at"),
            Jdbc.instant(row, "first_try_started_at"),
            row.getString("executor"),
            row.getString("rendered_map_index"));

    private final Jdbc jdbc;

    public TaskInstanceRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the run's task instances in state none; existing ones are left alone. */
    public int createForRun(String dagId, String runId, List<NewTaskInstance> tasks) {
        if (tasks.isEmpty()) {
            return 0;
        }
        List<String> ids = new ArrayList<>();
        List<String> mapIndexes = new ArrayList<>();
        List<String> maxTries = new ArrayList<>();
        List<String> pools = new ArrayList<>();
        List<String> slots = new ArrayList<>();
        List<String> weights = new ArrayList<>();
        List<String> operators = new ArrayList<>();
        for (NewTaskInstance task : tasks) {
            ids.add(task.taskId());
            mapIndexes.add(String.valueOf(task.mapIndex()));
            maxTries.add(String.valueOf(task.maxTries()));
            pools.add(task.pool());
            slots.add(String.valueOf(task.poolSlots()));
            weights.add(String.valueOf(task.priorityWeight()));
            operators.add(task.operator());
        }
        return jdbc.update(
                """
                INSERT INTO task_instance (dag_id, run_id, task_id, map_index, max_tries, pool, pool_slots,
                                           priority_weight, operator)
                SELECT :dagId, :runId, t.task_id, t.map_index, t.max_tries, t.pool, t.pool_slots, t.weight, t.operator
                  FROM unnest(CAST(:ids AS text[]), CAST(:mapIndexes AS int[]), CAST(:maxTries AS int[]),
                              CAST(:pools AS text[]), CAST(:slots AS int[]), CAST(:weights AS int[]),
                              CAST(:operators AS text[]))
                       AS t(task_id, map_index, max_tries, pool, pool_slots, weight, operator)
                 -- a task with instances already (a mapped task's 0..n-1, when a cleared run starts again) keeps them
                 WHERE NOT EXISTS (SELECT 1 FROM task_instance x
                                    WHERE x.dag_id = :dagId AND x.run_id = :runId AND x.task_id = t.task_id)
                ON CONFLICT DO NOTHING""",
                Params.of("dagId", dagId)
                        .and("runId", runId)
                        .and("ids", ids)
                        .and("mapIndexes", mapIndexes)
                        .and("maxTries", maxTries)
                        .and("pools", pools)
                        .and("slots", slots)
                        .and("weights", weights)
                        .and("operators", operators));
    }

    public Optional<TaskInstance> find(TaskInstanceKey key) {
        return jdbc.queryOne("SELECT " + COLUMNS + """
                 FROM task_instance
                WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex""", keyParams(key), TASK_INSTANCE);
    }

    public List<TaskInstance> listForRun(String dagId, String runId) {
        return jdbc.query(
                "SELECT " + COLUMNS
                        + " FROM task_instance WHERE dag_id = :dagId AND run_id = :runId ORDER BY task_id, map_index",
                Params.of("dagId", dagId).and("runId", runId),
                TASK_INSTANCE);
    }

    /**
     * The states of the task instances of the running DAG runs among {@code runs} that a scheduling
     * round has something to decide in (of one run with a filter), by the run's id: a run with a
     * task instance in none, up_for_retry or up_for_reschedule (one may become ready), a run whose
     * task instances are all finished (it ends), and the runs of {@code alwaysRunIds} (those that
     * timed out). Left out are the runs whose every unfinished task instance is scheduled or in
     * flight: nothing in them can be decided until one of those ends, and such a run can be neither
     * finished nor deadlocked (one of its unfinished task instances has all its upstreams done, so
     * its trigger rule never says wait). Most running runs are such a run at any moment: a round
     * that read all their task instances spent most of the scheduler's time on it under load.
     *
     * <p>The keys reuse each run's own dag and run ids (the query does not return them: decoding
     * two strings per row was most of the read's cost). A run missing from {@code runs} (started by
     * another scheduler since they were read) is left for the next round.
     */
    public Map<Long, List<TaskInstanceState>> statesOfRunsToDecide(
            RunFilter runFilter, Collection<DagRun> runs, Collection<Long> alwaysRunIds) {
        Map<Long, DagRun> byId = HashMap.newHashMap(runs.size());
        for (DagRun run : runs) {
            byId.put(run.id(), run);
        }
        Map<Long, List<TaskInstanceState>> states = HashMap.newHashMap(runs.size());
        jdbc.query(
                """
                WITH running AS (
                    SELECT r.id, r.dag_id, r.run_id
                      FROM dag_run r
                     WHERE r.state = :runRunning
                       AND (CAST(:dagId AS text) IS NULL OR (r.dag_id = :dagId AND r.run_id = :runId))),
                to_decide AS (
                    SELECT ru.id
                      FROM running ru
                      JOIN task_instance ti ON ti.dag_id = ru.dag_id AND ti.run_id = ru.run_id
                     GROUP BY ru.id
                    HAVING bool_or(ti.state = ANY(:decidable)) OR bool_and(ti.state = ANY(:finished))
                    UNION
                    SELECT unnest(CAST(:always AS bigint[])))
                SELECT ru.id, ti.task_id, ti.map_index, ti.state, ti.try_number, ti.next_retry_at
                  FROM running ru
                  JOIN task_instance ti ON ti.dag_id = ru.dag_id AND ti.run_id = ru.run_id
                 WHERE ru.id IN (SELECT id FROM to_decide)""",
                RunFilter.params(runFilter)
                        .and("runRunning", DagRunState.RUNNING)
                        .and("decidable", DECIDABLE)
                        .and("finished", TaskState.FINISHED)
                        .and("always", alwaysRunIds),
                row -> {
                    DagRun run = byId.get(row.getLong(1));
                    if (run != null) {
                        states.computeIfAbsent(run.id(), id -> new ArrayList<>())
                                .add(new TaskInstanceState(
                                        new TaskInstanceKey(run.dagId(), run.runId(), row.getString(2), row.getInt(3)),
                                        TaskState.fromDbName(row.getString(4)),
                                        row.getInt(5),
                                        Jdbc.instant(row, 6)));
                    }
                    // collected above, by run: the list the query builds holds nothing
                    return null;
                });
        return states;
    }

    /**
     * Whether {@code taskId} of {@code dagId} has a task instance in a run with a logical date
     * before {@code before}: Airflow's test for a task's first task instance.
     */
    public boolean ranBefore(String dagId, String taskId, Instant before) {
        return jdbc.queryOne(
                        """
                        SELECT EXISTS (
                            SELECT 1
                              FROM task_instance ti
                              JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id
                             WHERE ti.dag_id = :dagId AND ti.task_id = :taskId AND r.logical_date < :before)""",
                        Params.of("dagId", dagId).and("taskId", taskId).and("before", before),
                        row -> row.getBoolean(1))
                .orElse(false);
    }

    /**
     * Ends try {@code attempt}, running, in {@code to} (success, failed, up_for_retry with the time
     * of the next try, up_for_reschedule, skipped), applying the bookkeeping of the target state
     * (end date, duration, retry time). By try: a later try of the same task instance, started
     * after a clear, is left alone. Returns whether this call won.
     */
    public boolean finishTry(TaskInstanceTry attempt, TaskState to, Instant nextTryAt) {
        return moveTry(attempt, TaskTransition.FINISH_TRY, TaskState.RUNNING, to, nextTryAt);
    }

    /** One try's end for {@link #finishTries}: the try, and its log's unwritten tail (empty for none). */
    public record TryEnd(TaskInstanceTry attempt, String logTail) {}

    /**
     * {@link #finishTry} for many tries ending in {@code to} (without a time for a next try) in one
     * statement, each with its log's unwritten tail appended as a chunk in the same statement: a
     * task that printed nothing more costs no round trip of its own for its log. The tails are
     * written whether or not the try still won (the log of a discarded result is kept too). Returns
     * the tries this call moved; the others had been moved by another process first.
     */
    public List<TaskInstanceTry> finishTries(TaskState to, Collection<TryEnd> ends) {
        if (ends.isEmpty()) {
            return List.of();
        }
        TaskTransition.FINISH_TRY.check(TaskState.RUNNING, to);
        if (WAITS_FOR_NEXT_TRY.contains(to)) {
            throw new IllegalArgumentException(to + " needs the time of the next try: use finishTry");
        }
        KeyArrays arrays =
                KeyArrays.of(ends.stream().map(end -> end.attempt().key()).toList());
        List<String> tryNumbers = ends.stream()
                .map(end -> String.valueOf(end.attempt().tryNumber()))
                .toList();
        List<String> tails = ends.stream()
                .map(end -> end.logTail() == null ? "" : end.logTail())
                .toList();
        return jdbc.query(
                "WITH ends AS (" + """
                    SELECT * FROM unnest(CAST(:dagIds AS text[]), CAST(:runIds AS text[]), CAST(:taskIds AS text[]),
                                         CAST(:mapIndexes AS int[]), CAST(:tryNumbers AS int[]), CAST(:tails AS text[]))
                           AS k(dag_id, run_id, task_id, map_index, try_number, tail)),
                finished AS (""" + SET_STATE + """
                      FROM ends k
                     WHERE task_instance.dag_id = k.dag_id AND task_instance.run_id = k.run_id
                       AND task_instance.task_id = k.task_id AND task_instance.map_index = k.map_index
                       AND task_instance.state = :from AND task_instance.try_number = k.try_number
                    RETURNING task_instance.dag_id, task_instance.run_id, task_instance.task_id,
                              task_instance.map_index, task_instance.try_number),
                logged AS (
                    INSERT INTO task_log_chunk (dag_id, run_id, task_id, map_index, try_number, chunk_no, content)
                    SELECT k.dag_id, k.run_id, k.task_id, k.map_index, k.try_number,
                           (SELECT coalesce(max(c.chunk_no) + 1, 0) FROM task_log_chunk c
                             WHERE c.dag_id = k.dag_id AND c.run_id = k.run_id AND c.task_id = k.task_id
                               AND c.map_index = k.map_index AND c.try_number = k.try_number),
                           k.tail
                      FROM ends k WHERE k.tail <> '')
                SELECT dag_id, run_id, task_id, map_index, try_number FROM finished""",
                bookkeeping(arrays.params(), to, null)
                        .and("from", TaskState.RUNNING)
                        .and("tryNumbers", tryNumbers)
                        .and("tails", tails),
                row -> new TaskInstanceTry(
                        new TaskInstanceKey(row.getString(1), row.getString(2), row.getString(3), row.getInt(4)),
                        row.getInt(5)));
    }

    /**
     * Running to up_for_reschedule (a sensor in reschedule mode): the try does not count, as in
     * Airflow, so the try number goes back down and the next poke runs as the same try.
     */
    public boolean reschedule(TaskInstanceTry attempt, Instant nextTryAt) {
        return leaveRunningUncounted(attempt, TaskTransition.FINISH_TRY, TaskState.UP_FOR_RESCHEDULE, nextTryAt);
    }

    /**
     * Running back to up_for_retry, due at once, without counting the try: what a scheduler that
     * is shutting down does with the tasks it had to stop (ECS replacing the container is not the
     * task's fault).
     */
    public boolean releaseUnfinished(TaskInstanceTry attempt) {
        return leaveRunningUncounted(attempt, TaskTransition.RELEASE_UNFINISHED, TaskState.UP_FOR_RETRY, Instant.now());
    }

    private boolean leaveRunningUncounted(
            TaskInstanceTry attempt, TaskTransition intent, TaskState to, Instant nextTryAt) {
        intent.check(TaskState.RUNNING, to);
        return jdbc.update(
                        SET_STATE + """
                       , try_number = greatest(try_number - 1, 0)
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND state = :from AND try_number = :try""",
                        bookkeeping(keyParams(attempt.key()), to, nextTryAt)
                                .and("from", TaskState.RUNNING)
                                .and("try", attempt.tryNumber()))
                == 1;
    }

    /**
     * Restarting to none for exactly this try: the runner of a cleared try has stopped (or was
     * found dead), so the task instance may be scheduled again. False when the row is no longer
     * this try's restart (marked meanwhile, or already released).
     */
    public boolean releaseCleared(TaskInstanceTry attempt) {
        return moveTry(attempt, TaskTransition.RELEASE_CLEARED, TaskState.RESTARTING, TaskState.NONE, null);
    }

    /**
     * A user marks try {@code attempt}, seen in state {@code from}, as {@code to} (success, failed
     * or skipped); false when the task instance moved meanwhile, or runs a later try.
     */
    public boolean markByUser(TaskInstanceTry attempt, TaskState from, TaskState to) {
        return moveTry(attempt, TaskTransition.MARK, from, to, null);
    }

    /**
     * Scheduled to failed: its pool does not exist, so it could never be queued. By key: a
     * scheduled task instance has no try of its own yet.
     */
    public boolean failUnqueueable(TaskInstanceKey key) {
        TaskTransition.FAIL_UNQUEUEABLE.check(TaskState.SCHEDULED, TaskState.FAILED);
        return jdbc.update(
                        SET_STATE + " WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId"
                                + " AND map_index = :mapIndex AND state = :from",
                        bookkeeping(keyParams(key), TaskState.FAILED, null).and("from", TaskState.SCHEDULED))
                == 1;
    }

    /**
     * None to failed: a mapped task whose input cannot be mapped (not a list, or too long). By
     * key: the placeholder instance (map_index -1) has no try of its own.
     */
    public boolean failUnmappable(TaskInstanceKey key) {
        TaskTransition.FAIL_UNMAPPABLE.check(TaskState.NONE, TaskState.FAILED);
        return jdbc.update(
                        SET_STATE + " WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId"
                                + " AND map_index = :mapIndex AND state = :from",
                        bookkeeping(keyParams(key), TaskState.FAILED, null).and("from", TaskState.NONE))
                == 1;
    }

    /**
     * Expands a mapped task, as Airflow's scheduler does: its placeholder instance (map_index -1,
     * still in state none) becomes instance 0 and instances 1..count-1 are created beside it, all
     * in state none with the placeholder's settings. One statement, so a second scheduler doing the
     * same finds no placeholder and creates nothing. Returns whether this call expanded it.
     */
    public boolean expandMapped(TaskInstanceKey placeholder, int count) {
        if (placeholder.mapIndex() != -1 || count < 1) {
            throw new IllegalArgumentException("only a placeholder (map_index -1) expands, to at least one instance");
        }
        return jdbc.queryOne(
                        """
                        WITH placeholder AS (
                            UPDATE task_instance SET map_index = 0, updated_at = now()
                             WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = -1
                               AND state = :none
                            RETURNING dag_id, run_id, task_id, max_tries, pool, pool_slots, priority_weight, operator),
                        created AS (
                            INSERT INTO task_instance (dag_id, run_id, task_id, map_index, max_tries, pool, pool_slots,
                                                       priority_weight, operator)
                            SELECT p.dag_id, p.run_id, p.task_id, i, p.max_tries, p.pool, p.pool_slots,
                                   p.priority_weight, p.operator
                              FROM placeholder p, generate_series(1, :count - 1) AS i
                            ON CONFLICT DO NOTHING
                            RETURNING 1)
                        SELECT (SELECT count(*) FROM placeholder) AS expanded""",
                        keyParams(placeholder).and("none", TaskState.NONE).and("count", count),
                        row -> row.getInt("expanded") == 1)
                .orElse(false);
    }

    /**
     * Instances {@code from}..{@code count - 1} of a mapped task, created beside its instance
     * {@code first} (whose settings they copy) in state none; one that was removed earlier comes
     * back as none. Returns how many rows this call created or brought back.
     */
    public int addMapped(TaskInstanceKey first, int from, int count) {
        return jdbc.update(
                """
                INSERT INTO task_instance (dag_id, run_id, task_id, map_index, max_tries, pool, pool_slots,
                                           priority_weight, operator)
                SELECT f.dag_id, f.run_id, f.task_id, i, f.max_tries, f.pool, f.pool_slots, f.priority_weight,
                       f.operator
                  FROM task_instance f, generate_series(:from, :count - 1) AS i
                 WHERE f.dag_id = :dagId AND f.run_id = :runId AND f.task_id = :taskId AND f.map_index = :mapIndex
                ON CONFLICT (dag_id, run_id, task_id, map_index)
                DO UPDATE SET state = :none, updated_at = now() WHERE task_instance.state = :removed""",
                keyParams(first)
                        .and("from", from)
                        .and("count", count)
                        .and("none", TaskState.NONE)
                        .and("removed", TaskState.REMOVED));
    }

    /** None to removed: instances past the end of a cleared mapped task's shorter input. */
    public List<TaskInstanceKey> removeMapped(Collection<TaskInstanceKey> keys) {
        return moveAll(keys, TaskTransition.REMOVE_PAST_MAPPED_END, TaskState.NONE, TaskState.REMOVED);
    }

    private boolean moveTry(
            TaskInstanceTry attempt, TaskTransition intent, TaskState from, TaskState to, Instant nextTryAt) {
        intent.check(from, to);
        return jdbc.update(
                        SET_STATE + " WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId"
                                + " AND map_index = :mapIndex AND state = :from AND try_number = :try",
                        bookkeeping(keyParams(attempt.key()), to, nextTryAt)
                                .and("from", from)
                                .and("try", attempt.tryNumber()))
                == 1;
    }

    /**
     * None, up_for_retry or up_for_reschedule ({@code from}) to scheduled: the trigger rule is met,
     * or the next try is due. Returns the keys that this call moved.
     */
    public List<TaskInstanceKey> schedule(Collection<TaskInstanceKey> keys, TaskState from) {
        return moveAll(keys, TaskTransition.SCHEDULE, from, TaskState.SCHEDULED);
    }

    /**
     * None to skipped or upstream_failed ({@code to}): a trigger rule or a branch decided that
     * these task instances will not run. Returns the keys that this call moved.
     */
    public List<TaskInstanceKey> decideWithoutRunning(Collection<TaskInstanceKey> keys, TaskState to) {
        return moveAll(keys, TaskTransition.DECIDE_WITHOUT_RUNNING, TaskState.NONE, to);
    }

    /**
     * Unfinished task instances of a run that passed dagrun_timeout, each seen in state
     * {@code from}, to skipped. By try, so that a try started after the timeout was read is left
     * alone. Returns how many this call moved.
     */
    public int skipForRunTimeout(Collection<TaskInstanceTry> tries, TaskState from) {
        if (tries.isEmpty()) {
            return 0;
        }
        TaskTransition.TIME_OUT_RUN.check(from, TaskState.SKIPPED);
        KeyArrays arrays = KeyArrays.of(tries.stream().map(TaskInstanceTry::key).toList());
        List<String> tryNumbers =
                tries.stream().map(t -> String.valueOf(t.tryNumber())).toList();
        return jdbc.update(
                SET_STATE + """
                  FROM unnest(CAST(:dagIds AS text[]), CAST(:runIds AS text[]), CAST(:taskIds AS text[]),
                              CAST(:mapIndexes AS int[]), CAST(:tryNumbers AS int[]))
                       AS k(dag_id, run_id, task_id, map_index, try_number)
                 WHERE task_instance.dag_id = k.dag_id AND task_instance.run_id = k.run_id
                   AND task_instance.task_id = k.task_id AND task_instance.map_index = k.map_index
                   AND task_instance.state = :from AND task_instance.try_number = k.try_number""",
                bookkeeping(arrays.params(), TaskState.SKIPPED, null)
                        .and("from", from)
                        .and("tryNumbers", tryNumbers));
    }

    /** Moves the task instances still in {@code from} to {@code to} by key; returns the keys this call moved. */
    private List<TaskInstanceKey> moveAll(
            Collection<TaskInstanceKey> keys, TaskTransition intent, TaskState from, TaskState to) {
        if (keys.isEmpty()) {
            return List.of();
        }
        intent.check(from, to);
        return moveKeyedStillIn(
                "", bookkeeping(KeyArrays.of(keys).params(), to, null).and("from", from));
    }

    /**
     * Scheduled to queued, recording which scheduler job queued them ({@code null} for a run
     * outside any scheduler, as {@code gust dags test}): a live scheduler adopts what a dead one
     * queued. Returns the keys that this call moved.
     */
    public List<TaskInstanceKey> queueAll(Collection<TaskInstanceKey> keys, Long queuedByJobId) {
        if (keys.isEmpty()) {
            return List.of();
        }
        TaskTransition.QUEUE.check(TaskState.SCHEDULED, TaskState.QUEUED);
        return moveKeyedStillIn(
                ", queued_by_job_id = CAST(:jobId AS bigint)",
                bookkeeping(KeyArrays.of(keys).params(), TaskState.QUEUED, null)
                        .and("from", TaskState.SCHEDULED)
                        .and("jobId", queuedByJobId));
    }

    /**
     * {@link #SET_STATE} (with {@code moreAssignments} after it) on the task instances whose keys
     * {@link KeyArrays} bound in {@code params} and that are still in {@code :from}; returns the keys
     * this call moved.
     */
    private List<TaskInstanceKey> moveKeyedStillIn(String moreAssignments, Params params) {
        return jdbc.query(
                SET_STATE + moreAssignments + """
                  FROM unnest(CAST(:dagIds AS text[]), CAST(:runIds AS text[]), CAST(:taskIds AS text[]),
                              CAST(:mapIndexes AS int[])) AS k(dag_id, run_id, task_id, map_index)
                 WHERE task_instance.dag_id = k.dag_id AND task_instance.run_id = k.run_id
                   AND task_instance.task_id = k.task_id AND task_instance.map_index = k.map_index
                   AND task_instance.state = :from
                RETURNING task_instance.dag_id, task_instance.run_id, task_instance.task_id, task_instance.map_index""",
                params,
                row -> new TaskInstanceKey(row.getString(1), row.getString(2), row.getString(3), row.getInt(4)));
    }

    /** A queued task instance a live scheduler took over from a dead one, and who that was. */
    public record Adopted(TaskInstance taskInstance, long deadJobId, String deadJobHostname) {}

    /**
     * Airflow's adoption of orphaned tasks: queued task instances whose queueing scheduler job
     * has ended, or has not heartbeat for {@code jobThreshold}, become this job's. Any live
     * scheduler may claim any queued row anyway; adopting makes the owner true again, so that the
     * row is not reported as an orphan forever, and leaves a trace of the takeover.
     */
    public List<Adopted> adoptQueuedOfDeadJobs(long jobId, java.time.Duration jobThreshold) {
        return jdbc.query(
                """
                UPDATE task_instance ti
                   SET queued_by_job_id = :jobId, updated_at = now()
                  FROM job j
                 WHERE ti.state = :queued AND j.id = ti.queued_by_job_id AND j.id <> :jobId
                   AND (j.state <> 'running' OR j.latest_heartbeat < now() - make_interval(secs => :seconds))
                RETURNING j.id AS dead_job_id, j.hostname AS dead_job_hostname,\s""" + TI_COLUMNS,
                Params.of("jobId", jobId)
                        .and("seconds", jobThreshold.toMillis() / 1000.0)
                        .and("queued", TaskState.QUEUED),
                row -> new Adopted(
                        TASK_INSTANCE.map(row), row.getLong("dead_job_id"), row.getString("dead_job_hostname")));
    }

    /**
     * Airflow's {@code task_queued_timeout}: task instances queued for longer than {@code timeout}
     * (no scheduler could start them) go back to scheduled, to be queued again within the pools
     * and limits of the moment. One conditional statement, so a claim that wins the row first
     * keeps it. Returns them, now scheduled.
     */
    public List<TaskInstance> requeueQueuedLongerThan(java.time.Duration timeout) {
        TaskTransition.REQUEUE.check(TaskState.QUEUED, TaskState.SCHEDULED);
        return jdbc.query(
                """
                WITH stuck AS (SELECT dag_id, run_id, task_id, map_index
                                 FROM task_instance
                                WHERE state = :from AND queued_at < now() - make_interval(secs => :seconds)
                                  FOR UPDATE SKIP LOCKED)
                """ + SET_STATE + """
                  FROM stuck
                 WHERE task_instance.dag_id = stuck.dag_id AND task_instance.run_id = stuck.run_id
                   AND task_instance.task_id = stuck.task_id AND task_instance.map_index = stuck.map_index
                   AND task_instance.state = :from
                RETURNING\s""" + QUALIFIED_COLUMNS,
                bookkeeping(Params.of("seconds", timeout.toMillis() / 1000.0), TaskState.SCHEDULED, null)
                        .and("from", TaskState.QUEUED),
                TASK_INSTANCE);
    }

    // The bookkeeping of each target state, in one place: the SET of every state change, with the
    // flags that bookkeeping(...) derives from the target state.
    private static final String SET_STATE = """
            UPDATE task_instance
               SET state = :to,
                   queued_at = CASE WHEN :stampQueuedAt THEN now() ELSE queued_at END,
                   end_date = CASE WHEN :stampEndDate THEN now() WHEN :clearEndDate THEN NULL ELSE end_date END,
                   duration = CASE WHEN :stampDuration AND start_date IS NOT NULL
                                   THEN extract(epoch FROM now() - start_date) ELSE duration END,
                   next_retry_at = CASE WHEN :keepNextTryAt THEN CAST(:nextTryAt AS timestamptz) ELSE NULL END,
                   updated_at = now()
            """;

    /** Target states that end an attempt, or decide the task instance without one: the end date is stamped. */
    private static final Set<TaskState> ENDS_ATTEMPT =
            union(TaskState.FINISHED, EnumSet.of(TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE));
    /** Target states before an attempt starts: an earlier attempt's end date goes. */
    private static final Set<TaskState> BEFORE_ATTEMPT =
            EnumSet.of(TaskState.NONE, TaskState.SCHEDULED, TaskState.QUEUED);
    /** Target states a running attempt ends in: its duration is recorded. */
    private static final Set<TaskState> ENDS_RUNNING_ATTEMPT = TaskTransition.FINISH_TRY.to();
    /** Target states that wait for a next try at a given time. */
    private static final Set<TaskState> WAITS_FOR_NEXT_TRY =
            EnumSet.of(TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE);

    /** The parameters of {@link #SET_STATE} for a change to {@code to}, added to {@code params}. */
    private static Params bookkeeping(Params params, TaskState to, Instant nextTryAt) {
        return params.and("to", to)
                .and("stampQueuedAt", to == TaskState.QUEUED)
                .and("stampEndDate", ENDS_ATTEMPT.contains(to))
                .and("clearEndDate", BEFORE_ATTEMPT.contains(to))
                .and("stampDuration", ENDS_RUNNING_ATTEMPT.contains(to))
                .and("keepNextTryAt", WAITS_FOR_NEXT_TRY.contains(to))
                .and("nextTryAt", nextTryAt);
    }

    private static Set<TaskState> union(Set<TaskState> a, Set<TaskState> b) {
        Set<TaskState> union = EnumSet.copyOf(a);
        union.addAll(b);
        return union;
    }

    /**
     * Scheduled task instances of running runs, the candidates for queueing, in the order queueing
     * takes them (highest priority first, then oldest run, then task id; the key's other parts make
     * the order total, so that pages do not overlap): {@code limit} of them from {@code offset}; of
     * one run only when {@code runFilter} is given.
     */
    public List<QueueCandidate> scheduledCandidates(int limit, int offset, RunFilter runFilter) {
        return jdbc.query(
                """
                SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.pool, ti.pool_slots, ti.try_number
                  FROM task_instance ti
                  JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id
                 WHERE ti.state = :scheduled AND r.state = :runRunning
                   AND (CAST(:dagId AS text) IS NULL OR (ti.dag_id = :dagId AND ti.run_id = :runId))
                 ORDER BY ti.priority_weight DESC, r.logical_date, ti.task_id, ti.dag_id, ti.run_id, ti.map_index
                 LIMIT :limit OFFSET :offset""",
                RunFilter.params(runFilter)
                        .and("limit", limit)
                        .and("offset", offset)
                        .and("scheduled", TaskState.SCHEDULED)
                        .and("runRunning", DagRunState.RUNNING),
                row -> new QueueCandidate(
                        new TaskInstanceKey(row.getString(1), row.getString(2), row.getString(3), row.getInt(4)),
                        row.getString(5),
                        row.getInt(6),
                        row.getInt(7)));
    }

    /** Pool slots taken by task instances in flight (queued, running, restarting), by pool. */
    public java.util.Map<String, Integer> slotsInFlightByPool() {
        java.util.Map<String, Integer> slots = new java.util.HashMap<>();
        jdbc.query(
                """
                SELECT pool, sum(pool_slots) AS slots FROM task_instance
                 WHERE state = ANY(:inFlight) GROUP BY pool""",
                Params.of("inFlight", TaskState.IN_FLIGHT),
                row -> slots.put(row.getString("pool"), row.getInt("slots")));
        return slots;
    }

    /**
     * Pool slots taken by queued and by running (or restarting) task instances, by pool: what the
     * pool gauges report; queued first, then running.
     */
    public java.util.Map<String, long[]> slotsByPoolQueuedRunning() {
        java.util.Map<String, long[]> slots = new java.util.HashMap<>();
        jdbc.query(
                """
                SELECT pool,
                       coalesce(sum(pool_slots) FILTER (WHERE state = :queued), 0) AS queued,
                       coalesce(sum(pool_slots) FILTER (WHERE state <> :queued), 0) AS running
                  FROM task_instance
                 WHERE state = ANY(:inFlight) GROUP BY pool""",
                Params.of("inFlight", TaskState.IN_FLIGHT).and("queued", TaskState.QUEUED),
                row -> slots.put(row.getString("pool"), new long[] {row.getLong("queued"), row.getLong("running")}));
        return slots;
    }

    /** How long the longest-queued task instance has waited; zero when none is queued. */
    public java.time.Duration oldestQueuedAge() {
        return jdbc.queryOne(
                        """
                        SELECT coalesce(extract(epoch FROM now() - min(queued_at)), 0) AS age
                          FROM task_instance WHERE state = :queued""",
                        Params.of("queued", TaskState.QUEUED),
                        row -> java.time.Duration.ofMillis((long) (row.getDouble("age") * 1000)))
                .orElse(java.time.Duration.ZERO);
    }

    /** Task instances in flight (queued, running, restarting), by DAG (for max_active_tasks). */
    /** Task instances in flight (queued or running), by DAG run and task: what per-task limits count. */
    public List<InFlight> inFlightByRunAndTask() {
        return jdbc.query(
                """
                SELECT dag_id, run_id, task_id, count(*) AS n FROM task_instance
                 WHERE state = ANY(:inFlight) GROUP BY dag_id, run_id, task_id""",
                Params.of("inFlight", TaskState.IN_FLIGHT),
                row -> new InFlight(
                        row.getString("dag_id"), row.getString("run_id"), row.getString("task_id"), row.getInt("n")));
    }

    /** How many instances of one task of one DAG run are in flight. */
    public record InFlight(String dagId, String runId, String taskId, int count) {}

    /**
     * What is in flight counted the three ways queueing checks it: pool slots by pool, task
     * instances by DAG (max_active_tasks) and by run and task (the per-task limits).
     */
    public record InFlightCounts(
            java.util.Map<String, Integer> slotsByPool,
            java.util.Map<String, Integer> byDag,
            List<InFlight> byRunAndTask) {}

    /**
     * {@link #slotsInFlightByPool}, {@link #inFlightByDag} and {@link #inFlightByRunAndTask} from
     * one statement: a scheduling round reads them together, under the queue lock.
     */
    public InFlightCounts inFlightCounts() {
        java.util.Map<String, Integer> slotsByPool = new java.util.HashMap<>();
        java.util.Map<String, Integer> byDag = new java.util.HashMap<>();
        java.util.Map<List<String>, Integer> byRunAndTask = new java.util.LinkedHashMap<>();
        jdbc.query("""
                SELECT pool, dag_id, run_id, task_id, count(*) AS n, sum(pool_slots) AS slots FROM task_instance
                 WHERE state = ANY(:inFlight) GROUP BY pool, dag_id, run_id, task_id""", Params.of("inFlight", TaskState.IN_FLIGHT), row -> {
            int n = row.getInt("n");
            slotsByPool.merge(row.getString("pool"), row.getInt("slots"), Integer::sum);
            byDag.merge(row.getString("dag_id"), n, Integer::sum);
            byRunAndTask.merge(
                    List.of(row.getString("dag_id"), row.getString("run_id"), row.getString("task_id")),
                    n,
                    Integer::sum);
            return null;
        });
        List<InFlight> tasks = new ArrayList<>();
        byRunAndTask.forEach((k, n) -> tasks.add(new InFlight(k.get(0), k.get(1), k.get(2), n)));
        return new InFlightCounts(slotsByPool, byDag, tasks);
    }

    public java.util.Map<String, Integer> inFlightByDag() {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        jdbc.query(
                """
                SELECT dag_id, count(*) AS n FROM task_instance
                 WHERE state = ANY(:inFlight) GROUP BY dag_id""",
                Params.of("inFlight", TaskState.IN_FLIGHT),
                row -> counts.put(row.getString("dag_id"), row.getInt("n")));
        return counts;
    }

    /**
     * Claims up to {@code limit} queued task instances for this process, highest priority first,
     * skipping rows another scheduler holds: each becomes running with its try number counted up.
     */
    public List<TaskInstance> claimQueued(int limit, String hostname, int pid, long jobId, RunFilter runFilter) {
        return claimQueued(limit, hostname, pid, jobId, runFilter, "local");
    }

    /**
     * {@link #claimQueued(int, String, int, long, RunFilter)} for a named executor. The ECS executor
     * claims with no pid: a null pid on a running {@code ecs} row means "launched, no worker has
     * started it yet", which is what {@link #startOnWorker} takes exactly once.
     */
    public List<TaskInstance> claimQueued(
            int limit, String hostname, Integer pid, long jobId, RunFilter runFilter, String executor) {
        return claim(limit, hostname, pid, jobId, runFilter, executor).stream()
                .map(ClaimedTry::taskInstance)
                .toList();
    }

    /** A try this process claimed to run here, and how many bytes of log its try number already has. */
    public record ClaimedTry(TaskInstance taskInstance, long storedLogBytes) {}

    /**
     * {@link #claimQueued(int, String, int, long, RunFilter)} for the local executor, which starts
     * the tries at once: the same statement also says how much log each try number has stored
     * already (nothing, unless the try ran before and was not counted), which the try's log cap
     * counts from, so that starting a try needs no round trip of its own.
     */
    public List<ClaimedTry> claimToRun(int limit, String hostname, int pid, long jobId, RunFilter runFilter) {
        return claim(limit, hostname, pid, jobId, runFilter, "local");
    }

    private List<ClaimedTry> claim(
            int limit, String hostname, Integer pid, long jobId, RunFilter runFilter, String executor) {
        if (limit <= 0) {
            return List.of();
        }
        TaskTransition.CLAIM.check(TaskState.QUEUED, TaskState.RUNNING);
        return jdbc.query(
                """
                UPDATE task_instance ti
                   SET state = :to, try_number = ti.try_number + 1, hostname = :hostname,
                       pid = CAST(:pid AS int), executor = :executor, external_executor_id = NULL,
                       queued_by_job_id = :jobId, start_date = now(), end_date = NULL, duration = NULL,
                       first_try_started_at = coalesce(ti.first_try_started_at, now()),
                       last_heartbeat_at = now(), updated_at = now()
                  FROM (SELECT dag_id, run_id, task_id, map_index
                          FROM task_instance
                         WHERE state = :from
                           AND (CAST(:dagId AS text) IS NULL OR (dag_id = :dagId AND run_id = :runId))
                         ORDER BY priority_weight DESC, queued_at
                         LIMIT :limit
                         FOR UPDATE SKIP LOCKED) claimed
                 WHERE ti.dag_id = claimed.dag_id AND ti.run_id = claimed.run_id
                   AND ti.task_id = claimed.task_id AND ti.map_index = claimed.map_index
                RETURNING\s""" + TI_COLUMNS + """
                , (SELECT coalesce(sum(octet_length(c.content)), 0) FROM task_log_chunk c
                    WHERE c.dag_id = ti.dag_id AND c.run_id = ti.run_id AND c.task_id = ti.task_id
                      AND c.map_index = ti.map_index AND c.try_number = ti.try_number) AS stored_log_bytes""",
                RunFilter.params(runFilter)
                        .and("limit", limit)
                        .and("hostname", hostname)
                        .and("pid", pid)
                        .and("jobId", jobId)
                        .and("executor", executor)
                        .and("from", TaskState.QUEUED)
                        .and("to", TaskState.RUNNING),
                row -> new ClaimedTry(TASK_INSTANCE.map(row), row.getLong("stored_log_bytes")));
    }

    /**
     * The worker side of a remote executor ({@code gust tasks run DAG TASK RUN --try N}): takes
     * the task instance to running as try {@code tryNumber}, either from queued (try N-1, nobody
     * claimed it) or from the running row an ECS executor launched for exactly this try and that
     * no worker has started yet. One conditional UPDATE, so of two workers (or a worker and a
     * clear) exactly one wins; empty when this one lost.
     */
    public Optional<TaskInstance> startOnWorker(TaskInstanceKey key, int tryNumber, String hostname, int pid) {
        TaskTransition.CLAIM.check(TaskState.QUEUED, TaskState.RUNNING);
        return jdbc.queryOne(
                """
                UPDATE task_instance ti
                   SET state = :running, try_number = :try, hostname = :hostname, pid = :pid,
                       start_date = CASE WHEN ti.state = :queued THEN now() ELSE ti.start_date END,
                       end_date = NULL, duration = NULL,
                       first_try_started_at = coalesce(ti.first_try_started_at, now()),
                       last_heartbeat_at = now(), updated_at = now()
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND ((ti.state = :queued AND ti.try_number = :try - 1)
                        OR (ti.state = :running AND ti.try_number = :try AND ti.executor = 'ecs' AND ti.pid IS NULL))
                RETURNING\s""" + TI_COLUMNS,
                keyParams(key)
                        .and("try", tryNumber)
                        .and("hostname", hostname)
                        .and("pid", pid)
                        .and("queued", TaskState.QUEUED)
                        .and("running", TaskState.RUNNING),
                TASK_INSTANCE);
    }

    /**
     * Records what this try's {@code map_index_template} rendered to (Airflow's rendered_map_index);
     * false when the row has moved on to another try meanwhile (cleared and run again).
     */
    public boolean recordRenderedMapIndex(TaskInstanceTry attempt, String rendered) {
        return jdbc.update(
                        """
                UPDATE task_instance SET rendered_map_index = :rendered, updated_at = now()
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND try_number = :try""",
                        keyParams(attempt.key()).and("try", attempt.tryNumber()).and("rendered", rendered))
                == 1;
    }

    /**
     * Records what a try's templates rendered to ({@code fieldsJson}, a JSON object already masked
     * by the try's secret masker); a try that renders again (a runner restarted on it) overwrites
     * its own row. False when the task instance is gone (its run was deleted meanwhile).
     */
    public boolean recordRenderedFields(TaskInstanceTry attempt, String fieldsJson) {
        return jdbc.update(
                        """
                INSERT INTO task_instance_rendered (dag_id, run_id, task_id, map_index, try_number, rendered_fields)
                SELECT dag_id, run_id, task_id, map_index, :try, CAST(:fields AS json) FROM task_instance
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                ON CONFLICT (dag_id, run_id, task_id, map_index, try_number)
                DO UPDATE SET rendered_fields = EXCLUDED.rendered_fields, rendered_at = now()""",
                        keyParams(attempt.key()).and("try", attempt.tryNumber()).and("fields", fieldsJson))
                == 1;
    }

    /** Records the ECS task that runs this try; false when the try is no longer running (cleared meanwhile). */
    public boolean recordExternalExecutorId(TaskInstanceKey key, int tryNumber, String externalId) {
        return jdbc.update(
                        """
                UPDATE task_instance SET external_executor_id = :externalId, updated_at = now()
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex
                   AND state = :running AND try_number = :try""",
                        keyParams(key)
                                .and("try", tryNumber)
                                .and("externalId", externalId)
                                .and("running", TaskState.RUNNING))
                == 1;
    }

    /**
     * Running (or restarting) tries of {@code executor} whose claiming scheduler job has ended or
     * gone silent for {@code jobThreshold}: they become {@code jobId}'s to track, so a restarted
     * scheduler follows its predecessor's ECS tasks instead of launching them again, and stops
     * those of cleared tries. Rows without an external id are included: the predecessor may have
     * died between RunTask and storing the ARN.
     */
    public List<TaskInstance> adoptRunningOfDeadJobs(String executor, long jobId, java.time.Duration jobThreshold) {
        return jdbc.query(
                """
                UPDATE task_instance ti
                   SET queued_by_job_id = :jobId, updated_at = now()
                  FROM job j
                 WHERE ti.state = ANY(:heartbeating) AND ti.executor = :executor
                   AND j.id = ti.queued_by_job_id AND j.id <> :jobId
                   AND (j.state <> 'running' OR j.latest_heartbeat < now() - make_interval(secs => :seconds))
                RETURNING\s""" + TI_COLUMNS,
                Params.of("jobId", jobId)
                        .and("executor", executor)
                        .and("seconds", jobThreshold.toMillis() / 1000.0)
                        .and("heartbeating", TaskState.HEARTBEATING),
                TASK_INSTANCE);
    }

    /**
     * Running and restarting task instances whose last heartbeat is older than {@code threshold}:
     * their runner is gone.
     */
    public List<TaskInstance> listZombies(java.time.Duration threshold) {
        return jdbc.query(
                "SELECT " + COLUMNS + """
                 FROM task_instance
                WHERE state = ANY(:heartbeating)
                  AND coalesce(last_heartbeat_at, start_date) < now() - make_interval(secs => :seconds)""",
                Params.of("seconds", threshold.toMillis() / 1000.0).and("heartbeating", TaskState.HEARTBEATING),
                TASK_INSTANCE);
    }

    /**
     * Records that these tries are alive and returns those still running: one that is missing was
     * moved by someone else (cleared, marked, timed out, declared a zombie) and its runner should
     * stop. By try, not by key: after a clear the same key may already run as a later try, which
     * must not keep the earlier try's runner going. A restarting try's heartbeat is recorded too,
     * so that the zombie sweep does not release it while its runner is still stopping.
     */
    public List<TaskInstanceTry> heartbeat(Collection<TaskInstanceTry> tries) {
        return heartbeat(tries, "now()");
    }

    /**
     * {@link #heartbeat} for tries a remote executor launched: their row is kept alive only until a
     * worker has started the try (a pid is set), as the worker heartbeats for itself from then on;
     * a worker that is alive but stuck then becomes a zombie like any other runner.
     */
    public List<TaskInstanceTry> heartbeatLaunched(Collection<TaskInstanceTry> tries) {
        return heartbeat(
                tries, "CASE WHEN task_instance.pid IS NULL THEN now() ELSE task_instance.last_heartbeat_at END");
    }

    private List<TaskInstanceTry> heartbeat(Collection<TaskInstanceTry> tries, String heartbeatAt) {
        if (tries.isEmpty()) {
            return List.of();
        }
        KeyArrays arrays = KeyArrays.of(tries.stream().map(TaskInstanceTry::key).toList());
        List<String> tryNumbers =
                tries.stream().map(t -> String.valueOf(t.tryNumber())).toList();
        // Restarting rows are heartbeat too but are not "still running": only running ones come back.
        // A row another transaction holds (a try's end being written, a clear) is neither waited for
        // nor beaten this time: its state as last committed answers, and the next beat records it.
        // Waiting would take the heartbeat into lock cycles with the grouped ends, whose rows come in
        // another order (PostgreSQL then cancels one after deadlock_timeout, a second's stall).
        return jdbc.query(
                """
                WITH k AS (
                    SELECT * FROM unnest(CAST(:dagIds AS text[]), CAST(:runIds AS text[]), CAST(:taskIds AS text[]),
                                         CAST(:mapIndexes AS int[]), CAST(:tryNumbers AS int[]))
                           AS k(dag_id, run_id, task_id, map_index, try_number)),
                alive AS (
                    SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.try_number, ti.state
                      FROM task_instance ti
                      JOIN k ON ti.dag_id = k.dag_id AND ti.run_id = k.run_id AND ti.task_id = k.task_id
                            AND ti.map_index = k.map_index AND ti.try_number = k.try_number
                     WHERE ti.state = ANY(:heartbeating)),
                free AS (
                    SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, a.try_number
                      FROM task_instance ti
                      JOIN alive a ON ti.dag_id = a.dag_id AND ti.run_id = a.run_id AND ti.task_id = a.task_id
                                  AND ti.map_index = a.map_index
                       FOR UPDATE OF ti SKIP LOCKED),
                beat AS (
                    UPDATE task_instance SET last_heartbeat_at = """ + heartbeatAt + """

                      FROM free f
                     WHERE task_instance.dag_id = f.dag_id AND task_instance.run_id = f.run_id
                       AND task_instance.task_id = f.task_id AND task_instance.map_index = f.map_index
                       AND task_instance.state = ANY(:heartbeating) AND task_instance.try_number = f.try_number)
                SELECT dag_id, run_id, task_id, map_index, try_number FROM alive WHERE state = :running""",
                arrays.params()
                        .and("tryNumbers", tryNumbers)
                        .and("heartbeating", TaskState.HEARTBEATING)
                        .and("running", TaskState.RUNNING),
                row -> new TaskInstanceTry(
                        new TaskInstanceKey(row.getString(1), row.getString(2), row.getString(3), row.getInt(4)),
                        row.getInt(5)));
    }

    /**
     * Airflow's clear: puts task instances back to none, except running ones, which go to
     * restarting until their runner has stopped (then to none, by {@link #releaseCleared}). A
     * restarting one is already on its way and is left alone. The try number stays, so the next
     * try is counted after the earlier ones, and each gets its task's retries again
     * ({@code max_tries = try_number + retries}, as Airflow does). Returns how many were cleared.
     */
    public int clear(java.util.Map<TaskInstanceKey, Integer> retriesByKey) {
        if (retriesByKey.isEmpty()) {
            return 0;
        }
        TaskTransition.CLEAR_RUNNING.check(TaskState.RUNNING, TaskState.RESTARTING);
        TaskTransition.CLEAR.checkAll(
                EnumSet.complementOf(EnumSet.of(TaskState.NONE, TaskState.RUNNING, TaskState.RESTARTING)),
                TaskState.NONE);
        KeyArrays arrays = KeyArrays.of(retriesByKey.keySet());
        List<String> retries =
                retriesByKey.values().stream().map(String::valueOf).toList();
        return jdbc.update(
                """
                UPDATE task_instance
                   SET state = CASE WHEN task_instance.state = :running THEN :restarting ELSE :none END,
                       end_date = NULL, next_retry_at = NULL, first_try_started_at = NULL,
                       max_tries = task_instance.try_number + k.retries, updated_at = now()
                  FROM unnest(CAST(:dagIds AS text[]), CAST(:runIds AS text[]), CAST(:taskIds AS text[]),
                              CAST(:mapIndexes AS int[]), CAST(:retries AS int[]))
                       AS k(dag_id, run_id, task_id, map_index, retries)
                 WHERE task_instance.dag_id = k.dag_id AND task_instance.run_id = k.run_id
                   AND task_instance.task_id = k.task_id AND task_instance.map_index = k.map_index
                   AND task_instance.state = ANY(:clearable)""",
                arrays.params()
                        .and("retries", retries)
                        .and("running", TaskState.RUNNING)
                        .and("restarting", TaskState.RESTARTING)
                        .and("none", TaskState.NONE)
                        .and("clearable", union(TaskTransition.CLEAR.from(), TaskTransition.CLEAR_RUNNING.from())));
    }

    private static Params keyParams(TaskInstanceKey key) {
        return Params.of("dagId", key.dagId())
                .and("runId", key.runId())
                .and("taskId", key.taskId())
                .and("mapIndex", key.mapIndex());
    }

    /** Keys as parallel arrays, for {@code unnest}: one statement for any number of rows. */
    private record KeyArrays(List<String> dagIds, List<String> runIds, List<String> taskIds, List<String> mapIndexes) {
        static KeyArrays of(Collection<TaskInstanceKey> keys) {
            KeyArrays arrays =
                    new KeyArrays(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (TaskInstanceKey key : keys) {
                arrays.dagIds.add(key.dagId());
                arrays.runIds.add(key.runId());
                arrays.taskIds.add(key.taskId());
                arrays.mapIndexes.add(String.valueOf(key.mapIndex()));
            }
            return arrays;
        }

        Params params() {
            return Params.of("dagIds", dagIds)
                    .and("runIds", runIds)
                    .and("taskIds", taskIds)
                    .and("mapIndexes", mapIndexes);
        }
    }
}
