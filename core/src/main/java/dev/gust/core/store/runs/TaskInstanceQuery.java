package dev.gust.core.store.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Paged listings of task instances for the REST API, of one run or across runs and DAGs
 * (Airflow's {@code ~}), with Airflow's filters; each with its run's logical date (Airflow's
 * {@code execution_date} on a task instance) and its note. Also each task instance's tries
 * ({@code task_instance_try}, written by the database on every change of a started try).
 */
public final class TaskInstanceQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("dag_id", "ti.dag_id"),
            Map.entry("dag_run_id", "ti.run_id"),
            Map.entry("execution_date", "r.logical_date"),
            Map.entry("task_id", "ti.task_id"),
            Map.entry("map_index", "ti.map_index"),
            Map.entry("state", "ti.state"),
            Map.entry("start_date", "ti.start_date"),
            Map.entry("end_date", "ti.end_date"),
            Map.entry("duration", "ti.duration"),
            Map.entry("try_number", "ti.try_number"),
            Map.entry("priority_weight", "ti.priority_weight"),
            Map.entry("pool", "ti.pool"));

    /** A task instance, the logical date of its run, and the user's note on it (null for none). */
    public record Listed(TaskInstance taskInstance, Instant logicalDate, String note) {}

    /**
     * What to list (Airflow's filters of {@code GET .../taskInstances} and of
     * {@code ListTaskInstanceForm}); a null or empty field does not filter. {@code dagIds} and
     * {@code runIds} null list across every DAG and run (Airflow's {@code ~}).
     */
    public record Filter(
            List<String> dagIds,
            List<String> runIds,
            List<String> taskIds,
            List<String> states,
            List<String> pools,
            List<String> queues,
            List<String> executors,
            Instant executionDateGte,
            Instant executionDateLte,
            Instant startDateGte,
            Instant startDateLte,
            Instant endDateGte,
            Instant endDateLte,
            Instant updatedAtGte,
            Instant updatedAtLte,
            Double durationGte,
            Double durationLte) {

        /** The task instances of one run, in these states. */
        public static Filter ofRun(String dagId, String runId, List<String> states) {
            return new Filter(
                    List.of(dagId),
                    List.of(runId),
                    null,
                    states,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
    }

    private static final String SELECT = """
            ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries, ti.hostname, ti.pid,
            ti.last_heartbeat_at, ti.queued_by_job_id, ti.external_executor_id, ti.pool, ti.pool_slots,
            ti.priority_weight, ti.operator, ti.queued_at, ti.start_date, ti.end_date, ti.duration, ti.next_retry_at,
            ti.first_try_started_at, ti.executor, ti.note, ti.rendered_map_index, r.logical_date AS run_logical_date""";

    private static final String FROM_WHERE = """
             FROM task_instance ti
             JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id
            WHERE (CAST(:dagIds AS text[]) IS NULL OR ti.dag_id = ANY (CAST(:dagIds AS text[])))
              AND (CAST(:runIds AS text[]) IS NULL OR ti.run_id = ANY (CAST(:runIds AS text[])))
              AND (CAST(:taskIds AS text[]) IS NULL OR ti.task_id = ANY (CAST(:taskIds AS text[])))
              AND (CAST(:states AS text[]) IS NULL OR ti.state = ANY (CAST(:states AS text[])))
              AND (CAST(:pools AS text[]) IS NULL OR ti.pool = ANY (CAST(:pools AS text[])))
              AND (CAST(:queues AS text[]) IS NULL OR false)
              AND (CAST(:executors AS text[]) IS NULL OR ti.executor = ANY (CAST(:executors AS text[])))
              AND (CAST(:edGte AS timestamptz) IS NULL OR r.logical_date >= :edGte)
              AND (CAST(:edLte AS timestamptz) IS NULL OR r.logical_date <= :edLte)
              AND (CAST(:sdGte AS timestamptz) IS NULL OR ti.start_date >= :sdGte)
              AND (CAST(:sdLte AS timestamptz) IS NULL OR ti.start_date <= :sdLte)
              AND (CAST(:endGte AS timestamptz) IS NULL OR ti.end_date >= :endGte)
              AND (CAST(:endLte AS timestamptz) IS NULL OR ti.end_date <= :endLte)
              AND (CAST(:upGte AS timestamptz) IS NULL OR ti.updated_at >= :upGte)
              AND (CAST(:upLte AS timestamptz) IS NULL OR ti.updated_at <= :upLte)
              AND (CAST(:durGte AS double precision) IS NULL OR ti.duration >= :durGte)
              AND (CAST(:durLte AS double precision) IS NULL OR ti.duration <= :durLte)""";

    private static final RowMapper<Listed> LISTED = row -> new Listed(
            TaskInstanceRepository.TASK_INSTANCE.map(row),
            Jdbc.instant(row, "run_logical_date"),
            row.getString("note"));

    private final Jdbc jdbc;

    public TaskInstanceQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "task_id", "ti.task_id, ti.map_index, ti.dag_id, ti.run_id");
    }

    /** {@code states} null or empty for every state. */
    public Page<Listed> list(String dagId, String runId, List<String> states, OrderBy order, int limit, int offset) {
        return list(Filter.ofRun(dagId, runId, states), order, limit, offset);
    }

    public Page<Listed> list(Filter f, OrderBy order, int limit, int offset) {
        return PagedQuery.run(jdbc, SELECT, FROM_WHERE, params(f), order, limit, offset, LISTED);
    }

    /** The instances (map_index 0 and up) of one mapped task of a run, in {@code order}. */
    public Page<Listed> listMapped(String dagId, String runId, String taskId, OrderBy order, int limit, int offset) {
        Filter f = Filter.ofRun(dagId, runId, null);
        return PagedQuery.run(
                jdbc,
                SELECT,
                FROM_WHERE + " AND ti.task_id = :taskId AND ti.map_index >= 0",
                params(f).and("taskId", taskId),
                order,
                limit,
                offset,
                LISTED);
    }

    private static Params params(Filter f) {
        return Params.of("dagIds", orNull(f.dagIds()))
                .and("runIds", orNull(f.runIds()))
                .and("taskIds", orNull(f.taskIds()))
                .and("states", orNull(f.states()))
                .and("pools", orNull(f.pools()))
                .and("queues", orNull(f.queues()))
                .and("executors", orNull(f.executors()))
                .and("edGte", f.executionDateGte())
                .and("edLte", f.executionDateLte())
                .and("sdGte", f.startDateGte())
                .and("sdLte", f.startDateLte())
                .and("endGte", f.endDateGte())
                .and("endLte", f.endDateLte())
                .and("upGte", f.updatedAtGte())
                .and("upLte", f.updatedAtLte())
                .and("durGte", f.durationGte())
                .and("durLte", f.durationLte());
    }

    private static List<String> orNull(List<String> values) {
        return values == null || values.isEmpty() ? null : values;
    }

    /** One try of a task instance as it last was, with its run's logical date. */
    public record Try(
            TaskInstanceKey key,
            int tryNumber,
            String state,
            int maxTries,
            String hostname,
            Integer pid,
            String executor,
            String pool,
            int poolSlots,
            int priorityWeight,
            String operator,
            Instant queuedAt,
            Instant startDate,
            Instant endDate,
            Double duration,
            Instant logicalDate) {}

    private static final RowMapper<Try> TRY = row -> new Try(
            new TaskInstanceKey(
                    row.getString("dag_id"),
                    row.getString("run_id"),
                    row.getString("task_id"),
                    row.getInt("map_index")),
            row.getInt("try_number"),
            row.getString("state"),
            row.getInt("max_tries"),
            row.getString("hostname"),
            (Integer) row.getObject("pid"),
            row.getString("executor"),
            row.getString("pool"),
            row.getInt("pool_slots"),
            row.getInt("priority_weight"),
            row.getString("operator"),
            Jdbc.instant(row, "queued_at"),
            Jdbc.instant(row, "start_date"),
            Jdbc.instant(row, "end_date"),
            (Double) row.getObject("duration"),
            Jdbc.instant(row, "run_logical_date"));

    private static final String TRY_SELECT = """
            t.dag_id, t.run_id, t.task_id, t.map_index, t.try_number, t.state, t.max_tries, t.hostname, t.pid,
            t.executor, t.pool, t.pool_slots, t.priority_weight, t.operator, t.queued_at, t.start_date, t.end_date,
            t.duration, r.logical_date AS run_logical_date""";

    private static final String TRY_FROM_WHERE = """
             FROM task_instance_try t
             JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id
            WHERE t.dag_id = :dagId AND t.run_id = :runId AND t.task_id = :taskId AND t.map_index = :mapIndex""";

    /** Every started try of a task instance, by try number. */
    public List<Try> tries(TaskInstanceKey key) {
        return jdbc.query("SELECT " + TRY_SELECT + TRY_FROM_WHERE + " ORDER BY t.try_number", keyParams(key), TRY);
    }

    public Optional<Try> findTry(TaskInstanceKey key, int tryNumber) {
        return jdbc.queryOne(
                "SELECT " + TRY_SELECT + TRY_FROM_WHERE + " AND t.try_number = :try",
                keyParams(key).and("try", tryNumber),
                TRY);
    }

    /** Replaces the user's note on a task instance (null removes it); false when there is no such task instance. */
    public boolean setNote(TaskInstanceKey key, String note) {
        return jdbc.update("""
                UPDATE task_instance SET note = :note
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND map_index = :mapIndex""", keyParams(key).and("note", note)) > 0;
    }

    private static Params keyParams(TaskInstanceKey key) {
        return Params.of("dagId", key.dagId())
                .and("runId", key.runId())
                .and("taskId", key.taskId())
                .and("mapIndex", key.mapIndex());
    }

    public Optional<Listed> find(TaskInstanceKey key) {
        return jdbc.queryOne(
                "SELECT " + SELECT + """
                 FROM task_instance ti
                 JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id
                WHERE ti.dag_id = :dagId AND ti.run_id = :runId AND ti.task_id = :taskId AND ti.map_index = :mapIndex""",
                Params.of("dagId", key.dagId())
                        .and("runId", key.runId())
                        .and("taskId", key.taskId())
                        .and("mapIndex", key.mapIndex()),
                LISTED);
    }
}
