package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.time.Instant;

/**
 * Browse → Task instances: task instances of every DAG, those of the newest runs first (a run's
 * tasks together, by task id), filtered by {@link BrowseFilter}. The order follows the run's
 * primary key on purpose: walking {@code dag_run} backwards by its index and each run's task
 * instances by theirs stops after a page, where ordering 100,000 task instances by start time
 * (which no index covers) must read and sort them all (100 ms).
 */
public final class TaskInstanceBrowseQuery {

    /** One row of the listing. */
    public record Row(
            String dagId,
            String runId,
            String taskId,
            int mapIndex,
            String state,
            int tryNumber,
            int maxTries,
            String operator,
            String pool,
            String hostname,
            Instant startDate,
            Instant endDate,
            Double duration,
            Instant logicalDate) {}

    private static final RowMapper<Row> ROW = row -> new Row(
            row.getString("dag_id"),
            row.getString("run_id"),
            row.getString("task_id"),
            row.getInt("map_index"),
            row.getString("state"),
            row.getInt("try_number"),
            row.getInt("max_tries"),
            row.getString("operator"),
            row.getString("pool"),
            row.getString("hostname"),
            Jdbc.instant(row, "start_date"),
            Jdbc.instant(row, "end_date"),
            row.getObject("duration") == null ? null : row.getDouble("duration"),
            Jdbc.instant(row, "logical_date"));

    private final Jdbc jdbc;

    public TaskInstanceBrowseQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public BrowseSlice<Row> page(BrowseFilter filter, int page, int pageSize) {
        Params params = Params.none();
        String sql = sql(filter, page, pageSize, params);
        return BrowseSlice.of(jdbc.query(sql, params, ROW), Math.max(1, page), pageSize);
    }

    /** PostgreSQL's plan of {@link #page}, as {@code EXPLAIN ANALYZE} prints it: what {@code gust bench ui} shows. */
    public java.util.List<String> plan(BrowseFilter filter, int page, int pageSize) {
        Params params = Params.none();
        String sql = sql(filter, page, pageSize, params);
        return jdbc.query("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params, row -> row.getString(1));
    }

    private static String sql(BrowseFilter filter, int page, int pageSize, Params params) {
        String where = filter.where("ti", params);
        params.and("limit", pageSize + 1).and("offset", BrowseSlice.offset(page, pageSize));
        return """
                SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries,
                       ti.operator, ti.pool, ti.hostname, ti.start_date, ti.end_date, ti.duration, r.logical_date
                  FROM dag_run r
                  JOIN task_instance ti ON ti.dag_id = r.dag_id AND ti.run_id = r.run_id""" + where + " " + """
                 ORDER BY r.id DESC, ti.task_id, ti.map_index
                 LIMIT :limit OFFSET :offset""";
    }
}
