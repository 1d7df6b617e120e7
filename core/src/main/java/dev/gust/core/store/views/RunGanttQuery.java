package dev.gust.core.store.views;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;
import java.util.List;

/**
 * The Gantt chart of one DAG run: every try of every task instance of the run, as it ended (from
 * {@code task_instance_try}) or as it is now (the task instance's own row, for the try the
 * history does not hold yet: one that is waiting or queued). Two index scans on the primary keys
 * of both tables, whatever the size of the rest of the database.
 */
public final class RunGanttQuery {

    /** One try: when it was queued, started and ended (each null while it has not), and its state. */
    public record Try(
            String taskId,
            int mapIndex,
            int tryNumber,
            String state,
            Instant queuedAt,
            Instant startDate,
            Instant endDate,
            Double duration) {}

    private final Jdbc jdbc;

    public RunGanttQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The run's tries, by task, map index and try number. */
    public List<Try> tries(String dagId, String runId) {
        return jdbc.query(
                """
                SELECT task_id, map_index, try_number, state, queued_at, start_date, end_date, duration
                  FROM task_instance_try
                 WHERE dag_id = :dagId AND run_id = :runId
                UNION ALL
                SELECT ti.task_id, ti.map_index, ti.try_number, ti.state, ti.queued_at, ti.start_date, ti.end_date,
                       ti.duration
                  FROM task_instance ti
                 WHERE ti.dag_id = :dagId AND ti.run_id = :runId
                   AND NOT EXISTS (SELECT 1 FROM task_instance_try t
                                    WHERE t.dag_id = ti.dag_id AND t.run_id = ti.run_id AND t.task_id = ti.task_id
                                      AND t.map_index = ti.map_index AND t.try_number = ti.try_number)
                 ORDER BY task_id, map_index, try_number""",
                Params.of("dagId", dagId).and("runId", runId),
                row -> new Try(
                        row.getString("task_id"),
                        row.getInt("map_index"),
                        row.getInt("try_number"),
                        row.getString("state"),
                        Jdbc.instant(row, "queued_at"),
                        Jdbc.instant(row, "start_date"),
                        Jdbc.instant(row, "end_date"),
                        (Double) row.getObject("duration")));
    }

    /** PostgreSQL's plan of {@link #tries}, for {@code gust bench ui}. */
    public List<String> plan(String dagId, String runId) {
        return jdbc.query(
                "EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM task_instance_try WHERE dag_id = :dagId AND run_id = :runId",
                Params.of("dagId", dagId).and("runId", runId),
                row -> row.getString(1));
    }
}
