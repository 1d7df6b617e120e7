package dev.gust.core.store.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.time.Instant;
import java.util.Map;

/**
 * Paged listings of XCom entries for the REST API: of one task instance, or across task
 * instances, runs and DAGs (Airflow's {@code ~} in any of the three), each with its run's logical
 * date.
 */
public final class XComQuery {

    /**
     * What to list; a null field does not filter (Airflow's {@code ~}, and no {@code map_index}
     * or {@code xcom_key}).
     */
    public record Filter(String dagId, String runId, String taskId, Integer mapIndex, String key) {}

    /** An entry with its value (JSON text) and its run's logical date. */
    public record Listed(
            String dagId,
            String runId,
            String taskId,
            int mapIndex,
            String key,
            String valueJson,
            Instant createdAt,
            Instant logicalDate) {}

    private static final String SELECT = """
            x.dag_id, x.run_id, x.task_id, x.map_index, x.key, x.value::text AS value, x.created_at,
            r.logical_date AS run_logical_date""";

    private static final String FROM_WHERE = """
             FROM xcom x
             JOIN dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id
            WHERE (CAST(:dagId AS text) IS NULL OR x.dag_id = :dagId)
              AND (CAST(:runId AS text) IS NULL OR x.run_id = :runId)
              AND (CAST(:taskId AS text) IS NULL OR x.task_id = :taskId)
              AND (CAST(:mapIndex AS integer) IS NULL OR x.map_index = :mapIndex)
              AND (CAST(:key AS text) IS NULL OR x.key = :key)""";

    private static final RowMapper<Listed> LISTED = row -> new Listed(
            row.getString("dag_id"),
            row.getString("run_id"),
            row.getString("task_id"),
            row.getInt("map_index"),
            row.getString("key"),
            row.getString("value"),
            Jdbc.instant(row, "created_at"),
            Jdbc.instant(row, "run_logical_date"));

    private static final OrderBy ORDER = OrderBy.parse(
            null,
            OrderBy.columns(Map.entry("dag_id", "x.dag_id")),
            "dag_id",
            "x.run_id, x.task_id, x.map_index, x.key");

    private final Jdbc jdbc;

    public XComQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Page<Listed> list(Filter f, int limit, int offset) {
        return PagedQuery.run(jdbc, SELECT, FROM_WHERE, params(f), ORDER, limit, offset, LISTED);
    }

    private static Params params(Filter f) {
        return Params.of("dagId", f.dagId())
                .and("runId", f.runId())
                .and("taskId", f.taskId())
                .and("mapIndex", f.mapIndex())
                .and("key", f.key());
    }
}
