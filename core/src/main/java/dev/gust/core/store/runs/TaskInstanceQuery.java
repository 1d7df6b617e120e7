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
 * Paged listings of a DAG run's task instances for the REST API, each with its run's logical
 * date (Airflow's {@code execution_date} on a task instance).
 */
public final class TaskInstanceQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("task_id", "ti.task_id"),
            Map.entry("map_index", "ti.map_index"),
            Map.entry("state", "ti.state"),
            Map.entry("start_date", "ti.start_date"),
            Map.entry("end_date", "ti.end_date"),
            Map.entry("duration", "ti.duration"),
            Map.entry("try_number", "ti.try_number"),
            Map.entry("priority_weight", "ti.priority_weight"),
            Map.entry("pool", "ti.pool"));

    /** A task instance and the logical date of its run. */
    public record Listed(TaskInstance taskInstance, Instant logicalDate) {}

    private static final String SELECT = """
            ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries, ti.hostname, ti.pid,
            ti.last_heartbeat_at, ti.queued_by_job_id, ti.external_executor_id, ti.pool, ti.pool_slots,
            ti.priority_weight, ti.operator, ti.queued_at, ti.start_date, ti.end_date, ti.duration, ti.next_retry_at,
            ti.first_try_started_at, ti.executor, ti.rendered_map_index, r.logical_date AS run_logical_date""";

    private static final String FROM_WHERE = """
             FROM task_instance ti
             JOIN dag_run r ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id
            WHERE ti.dag_id = :dagId AND ti.run_id = :runId
              AND (CAST(:states AS text[]) IS NULL OR ti.state = ANY (CAST(:states AS text[])))""";

    private static final RowMapper<Listed> LISTED =
            row -> new Listed(TaskInstanceRepository.TASK_INSTANCE.map(row), Jdbc.instant(row, "run_logical_date"));

    private final Jdbc jdbc;

    public TaskInstanceQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "task_id", "ti.task_id, ti.map_index");
    }

    /** {@code states} null or empty for every state. */
    public Page<Listed> list(String dagId, String runId, List<String> states, OrderBy order, int limit, int offset) {
        return PagedQuery.run(
                jdbc,
                SELECT,
                FROM_WHERE,
                Params.of("dagId", dagId)
                        .and("runId", runId)
                        .and("states", states == null || states.isEmpty() ? null : states),
                order,
                limit,
                offset,
                LISTED);
    }

    /** The instances (map_index 0 and up) of one mapped task of a run, in {@code order}. */
    public Page<Listed> listMapped(String dagId, String runId, String taskId, OrderBy order, int limit, int offset) {
        return PagedQuery.run(
                jdbc,
                SELECT,
                FROM_WHERE + " AND ti.task_id = :taskId AND ti.map_index >= 0",
                Params.of("dagId", dagId)
                        .and("runId", runId)
                        .and("states", null)
                        .and("taskId", taskId),
                order,
                limit,
                offset,
                LISTED);
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
