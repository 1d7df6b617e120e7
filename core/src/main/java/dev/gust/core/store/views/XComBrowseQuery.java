package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.time.Instant;

/**
 * Browse → XComs: the values tasks pushed, across DAGs, newest first, filtered by DAG, task and
 * key (each exact, optional). Values are cut to {@link #VALUE_CHARS} characters: the listing is
 * for finding a value, the task page shows it whole.
 */
public final class XComBrowseQuery {

    /** How much of a value the listing shows. */
    public static final int VALUE_CHARS = 300;

    /** One pushed value; {@code cut} when the listing shows only its start. */
    public record Row(
            String dagId,
            String runId,
            String taskId,
            int mapIndex,
            String key,
            String valueJson,
            boolean cut,
            Instant createdAt) {}

    private static final RowMapper<Row> ROW = row -> new Row(
            row.getString("dag_id"),
            row.getString("run_id"),
            row.getString("task_id"),
            row.getInt("map_index"),
            row.getString("key"),
            row.getString("value"),
            row.getBoolean("cut"),
            Jdbc.instant(row, "created_at"));

    private final Jdbc jdbc;

    public XComBrowseQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public BrowseSlice<Row> page(String dagId, String taskId, String key, int page, int pageSize) {
        Params params = Params.of("chars", VALUE_CHARS)
                .and("limit", pageSize + 1)
                .and("offset", BrowseSlice.offset(page, pageSize));
        StringBuilder where = new StringBuilder(" WHERE true");
        if (present(dagId)) {
            where.append(" AND dag_id = :dagId");
            params.and("dagId", dagId.strip());
        }
        if (present(taskId)) {
            where.append(" AND task_id = :taskId");
            params.and("taskId", taskId.strip());
        }
        if (present(key)) {
            where.append(" AND key = :key");
            params.and("key", key.strip());
        }
        // the page is cut first, on the keys alone; only its values are turned into text
        String sql = """
                SELECT dag_id, run_id, task_id, map_index, key, left(value::text, :chars) AS value,
                       length(value::text) > :chars AS cut, created_at
                  FROM (SELECT dag_id, run_id, task_id, map_index, key, value, created_at FROM xcom""" + where + " " + """
                         ORDER BY created_at DESC, dag_id, run_id, task_id, map_index, key
                         LIMIT :limit OFFSET :offset) page
                 ORDER BY created_at DESC, dag_id, run_id, task_id, map_index, key""";
        return BrowseSlice.of(jdbc.query(sql, params, ROW), Math.max(1, page), pageSize);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
