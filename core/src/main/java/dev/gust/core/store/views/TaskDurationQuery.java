package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;
import java.util.List;

/**
 * The task duration and landing time charts of a DAG: for each task of the given runs, when it
 * first started, when it last ended and how long it took (a mapped task: from its first
 * instance's start to its last one's end). One statement over the task instances' primary key.
 */
public final class TaskDurationQuery {

    /**
     * One task in one run; {@code endDate} and {@code seconds} are null until every instance of
     * the task has ended.
     */
    public record TaskTiming(String runId, String taskId, Instant startDate, Instant endDate, Double seconds) {}

    private final Jdbc jdbc;

    public TaskDurationQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<TaskTiming> timings(String dagId, List<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query(
                """
                SELECT run_id, task_id, min(start_date) AS start_date,
                       CASE WHEN bool_and(end_date IS NOT NULL) THEN max(end_date) END AS end_date,
                       CASE WHEN NOT bool_and(end_date IS NOT NULL) THEN NULL
                            WHEN count(*) = 1 THEN max(duration)
                            ELSE extract(epoch FROM max(end_date) - min(start_date)) END AS seconds
                  FROM task_instance
                 WHERE dag_id = :dagId AND run_id = ANY (:runIds) AND start_date IS NOT NULL
                 GROUP BY run_id, task_id""",
                Params.of("dagId", dagId).and("runIds", runIds),
                row -> new TaskTiming(
                        row.getString("run_id"),
                        row.getString("task_id"),
                        Jdbc.instant(row, "start_date"),
                        Jdbc.instant(row, "end_date"),
                        row.getObject("seconds") == null ? null : row.getDouble("seconds")));
    }

    /** PostgreSQL's plan of {@link #timings}, for {@code gust bench ui}. */
    public List<String> plan(String dagId, List<String> runIds) {
        return jdbc.query("""
                EXPLAIN (ANALYZE, COSTS OFF)
                SELECT run_id, task_id, min(start_date), max(end_date), max(duration)
                  FROM task_instance
                 WHERE dag_id = :dagId AND run_id = ANY (:runIds) AND start_date IS NOT NULL
                 GROUP BY run_id, task_id""", Params.of("dagId", dagId).and("runIds", runIds), row -> row.getString(1));
    }
}
