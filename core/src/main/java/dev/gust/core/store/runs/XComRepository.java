package dev.gust.core.store.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code xcom} table: small JSON values a task leaves for its downstream tasks. */
public final class XComRepository {

    private final Jdbc jdbc;

    public XComRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores (or replaces) the value under {@code key}; {@code json} is JSON text. */
    public void push(TaskInstanceKey ti, String key, String json) {
        jdbc.update(
                """
                INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value)
                VALUES (:dagId, :runId, :taskId, :mapIndex, :key, CAST(:value AS jsonb))
                ON CONFLICT (dag_id, run_id, task_id, map_index, key)
                DO UPDATE SET value = EXCLUDED.value, created_at = now()""",
                Params.of("dagId", ti.dagId())
                        .and("runId", ti.runId())
                        .and("taskId", ti.taskId())
                        .and("mapIndex", ti.mapIndex())
                        .and("key", key)
                        .and("value", json));
    }

    /**
     * The value (JSON text) a task of the same run pushed under {@code key}. For a mapped task
     * (its values sit at map indexes 0..n-1) it is the JSON list of its instances' values in
     * map_index order, as Airflow's {@code xcom_pull} of a mapped task gives.
     */
    public Optional<String> pull(String dagId, String runId, String taskId, String key) {
        return jdbc.queryOne(
                """
                SELECT CASE WHEN min(map_index) >= 0 THEN jsonb_agg(value ORDER BY map_index)::text
                            ELSE (array_agg(value::text ORDER BY map_index))[1] END AS value
                  FROM xcom
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND key = :key
                HAVING count(*) > 0""",
                Params.of("dagId", dagId)
                        .and("runId", runId)
                        .and("taskId", taskId)
                        .and("key", key),
                row -> row.getString("value"));
    }

    /** The value (JSON text) one instance ({@code mapIndex}) of a task of the same run pushed under {@code key}. */
    public Optional<String> pull(String dagId, String runId, String taskId, String key, int mapIndex) {
        return jdbc.queryOne(
                """
                SELECT value::text AS value FROM xcom
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId AND key = :key
                   AND map_index = :mapIndex""",
                Params.of("dagId", dagId)
                        .and("runId", runId)
                        .and("taskId", taskId)
                        .and("key", key)
                        .and("mapIndex", mapIndex),
                row -> row.getString("value"));
    }

    public List<Entry> listForRun(String dagId, String runId) {
        return jdbc.query(
                """
                SELECT task_id, map_index, key, value::text AS value, created_at FROM xcom
                 WHERE dag_id = :dagId AND run_id = :runId
                 ORDER BY task_id, map_index, key""",
                Params.of("dagId", dagId).and("runId", runId),
                row -> new Entry(
                        row.getString("task_id"),
                        row.getInt("map_index"),
                        row.getString("key"),
                        row.getString("value"),
                        Jdbc.instant(row, "created_at")));
    }

    /** Removes a task instance's values before it runs again (Airflow clears XCom on a new try). */
    public int clear(TaskInstanceKey ti) {
        return jdbc.update(
                """
                DELETE FROM xcom WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId
                   AND map_index = :mapIndex""",
                Params.of("dagId", ti.dagId())
                        .and("runId", ti.runId())
                        .and("taskId", ti.taskId())
                        .and("mapIndex", ti.mapIndex()));
    }

    public record Entry(String taskId, int mapIndex, String key, String valueJson, Instant createdAt) {}
}
