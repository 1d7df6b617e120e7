package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.time.Instant;

/**
 * Browse → Task instances: task instances of every DAG, most recently started first (never
 * started ones last), filtered by {@link BrowseFilter}. The page is cut from {@code task_instance}
 * alone and only its rows are joined to their runs for the logical date, so the join never
 * touches more than a page.
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

    /** The listing's order over the columns of the alias given to {@code formatted}. */
    private static final String ORDER =
            " ORDER BY %1$sstart_date DESC NULLS LAST, %1$sdag_id, %1$srun_id, %1$stask_id, %1$smap_index ";

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
                SELECT t.*, r.logical_date FROM (
                    SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries,
                           ti.operator, ti.pool, ti.hostname, ti.start_date, ti.end_date, ti.duration
                      FROM task_instance ti""" + where + ORDER.formatted("ti.") + """
                 LIMIT :limit OFFSET :offset) t
                  JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id""" + ORDER.formatted("t.");
    }
}
