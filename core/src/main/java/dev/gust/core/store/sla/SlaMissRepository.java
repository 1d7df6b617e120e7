package dev.gust.core.store.sla;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sla_miss} table. The checks insert every miss they find with {@code ON CONFLICT DO
 * NOTHING} and get back only the rows they inserted, so that of several schedulers checking at
 * once exactly one records (and calls back for) each miss. They look at unfinished runs and at
 * runs that finished within {@code lookback}, so a check costs the same however long the history.
 */
public final class SlaMissRepository {

    private static final String COLUMNS = "dag_id, run_id, task_id, kind, alert, execution_date, expected_by,"
            + " timestamp, notification_sent, description";

    private final Jdbc jdbc;

    public SlaMissRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** A task's SLA to check: its DAG, its id, and how long after the data interval end it should succeed. */
    public record TaskSla(String dagId, String taskId, Duration sla) {}

    /**
     * A DAG's deadline to check: its place in the DAG's list, its reference ({@code
     * DAGRUN_LOGICAL_DATE}, {@code DAGRUN_QUEUED_AT} or {@code FIXED_DATETIME} with {@code fixedAt})
     * and its interval.
     */
    public record Deadline(String dagId, int alert, String reference, Instant fixedAt, Duration interval) {}

    /**
     * Records the misses of {@code slas} as of {@code now}: for each scheduled run whose data
     * interval end plus the SLA has passed, a task none of whose instances is skipped, and some of
     * whose instances had not succeeded by then (or does not exist yet). Returns the new ones.
     */
    public List<SlaMiss> recordTaskMisses(List<TaskSla> slas, Instant now, Duration lookback) {
        if (slas.isEmpty()) {
            return List.of();
        }
        List<String> dagIds = new ArrayList<>();
        List<String> taskIds = new ArrayList<>();
        List<String> seconds = new ArrayList<>();
        for (TaskSla sla : slas) {
            dagIds.add(sla.dagId());
            taskIds.add(sla.taskId());
            seconds.add(Double.toString(sla.sla().toMillis() / 1000.0));
        }
        return jdbc.query(
                """
                INSERT INTO sla_miss (dag_id, run_id, task_id, kind, execution_date, expected_by, timestamp, description)
                SELECT r.dag_id, r.run_id, s.task_id, 'sla', r.logical_date, s.expected_by, :now,
                       'not succeeded ' || s.sla_text || ' after the end of its data interval'
                  FROM unnest(CAST(:dagIds AS text[]), CAST(:taskIds AS text[]), CAST(:seconds AS text[]))
                       AS given(dag_id, task_id, secs)
                  JOIN dag_run r ON r.dag_id = given.dag_id
                  CROSS JOIN LATERAL (
                       SELECT given.task_id,
                              r.data_interval_end + make_interval(secs => given.secs::float8) AS expected_by,
                              justify_interval(make_interval(secs => given.secs::float8))::text AS sla_text) s
                 WHERE r.run_type = 'scheduled' AND r.data_interval_end IS NOT NULL
                   AND s.expected_by <= :now
                   AND (r.state = ANY(:unfinishedRunStates) OR r.end_date >= :since)
                   AND NOT EXISTS (SELECT 1 FROM task_instance ti
                                    WHERE ti.dag_id = r.dag_id AND ti.run_id = r.run_id AND ti.task_id = s.task_id
                                      AND ti.state = :skipped)
                   AND (NOT EXISTS (SELECT 1 FROM task_instance ti
                                     WHERE ti.dag_id = r.dag_id AND ti.run_id = r.run_id AND ti.task_id = s.task_id)
                        OR EXISTS (SELECT 1 FROM task_instance ti
                                    WHERE ti.dag_id = r.dag_id AND ti.run_id = r.run_id AND ti.task_id = s.task_id
                                      AND (ti.state <> :success OR ti.end_date > s.expected_by)))
                ON CONFLICT DO NOTHING
                RETURNING\s""" + COLUMNS,
                Params.of("dagIds", dagIds)
                        .and("taskIds", taskIds)
                        .and("seconds", seconds)
                        .and("now", now)
                        .and("since", now.minus(lookback))
                        .and("unfinishedRunStates", DagRunState.UNFINISHED)
                        .and("skipped", TaskState.SKIPPED)
                        .and("success", TaskState.SUCCESS),
                SlaMissRepository::map);
    }

    /**
     * Records the deadline misses of {@code deadlines} as of {@code now}: runs (of any kind) whose
     * deadline has passed and that had not finished by it. Returns the new ones.
     */
    public List<SlaMiss> recordDeadlineMisses(List<Deadline> deadlines, Instant now, Duration lookback) {
        if (deadlines.isEmpty()) {
            return List.of();
        }
        List<String> dagIds = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        List<String> references = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> seconds = new ArrayList<>();
        for (Deadline deadline : deadlines) {
            dagIds.add(deadline.dagId());
            alerts.add(Integer.toString(deadline.alert()));
            references.add(deadline.reference());
            // an array of text binds without nulls: empty stands for "none"
            fixed.add(deadline.fixedAt() == null ? "" : deadline.fixedAt().toString());
            seconds.add(Double.toString(deadline.interval().toMillis() / 1000.0));
        }
        return jdbc.query(
                """
                INSERT INTO sla_miss (dag_id, run_id, task_id, kind, alert, execution_date, expected_by, timestamp,
                                      description)
                SELECT r.dag_id, r.run_id, '', 'deadline', d.alert, r.logical_date, d.deadline, :now,
                       'not finished by its deadline (' || given.ref || ' + '
                           || make_interval(secs => given.secs::float8)::text || ')'
                  FROM unnest(CAST(:dagIds AS text[]), CAST(:alerts AS text[]), CAST(:references AS text[]),
                              CAST(:fixed AS text[]), CAST(:seconds AS text[]))
                       AS given(dag_id, alert, ref, fixed, secs)
                  JOIN dag_run r ON r.dag_id = given.dag_id
                  CROSS JOIN LATERAL (
                       SELECT given.alert::int AS alert,
                              CASE given.ref WHEN 'DAGRUN_LOGICAL_DATE' THEN r.logical_date
                                             WHEN 'DAGRUN_QUEUED_AT' THEN coalesce(r.queued_at, r.start_date)
                                             ELSE NULLIF(given.fixed, '')::timestamptz END
                                  + make_interval(secs => given.secs::float8) AS deadline) d
                 WHERE d.deadline <= :now
                   AND (r.state = ANY(:unfinishedRunStates) OR (r.end_date >= :since AND r.end_date > d.deadline))
                ON CONFLICT DO NOTHING
                RETURNING\s""" + COLUMNS,
                Params.of("dagIds", dagIds)
                        .and("alerts", alerts)
                        .and("references", references)
                        .and("fixed", fixed)
                        .and("seconds", seconds)
                        .and("now", now)
                        .and("since", now.minus(lookback))
                        .and("unfinishedRunStates", DagRunState.UNFINISHED),
                SlaMissRepository::map);
    }

    /** Marks these misses as notified: their callbacks were requested (in the same transaction). */
    public void markNotified(List<SlaMiss> misses) {
        for (SlaMiss miss : misses) {
            jdbc.update(
                    """
                    UPDATE sla_miss SET notification_sent = true
                     WHERE dag_id = :dagId AND run_id = :runId AND kind = :kind AND task_id = :taskId
                       AND alert = :alert""",
                    Params.of("dagId", miss.dagId())
                            .and("runId", miss.runId())
                            .and("kind", miss.kind())
                            .and("taskId", miss.taskId())
                            .and("alert", miss.alert()));
        }
    }

    /** Misses newest first, of one DAG when {@code dagId} is not null; {@code limit} rows after {@code offset}. */
    public List<SlaMiss> list(String dagId, int limit, int offset) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM sla_miss WHERE (CAST(:dagId AS text) IS NULL OR dag_id = :dagId)"
                        + " ORDER BY timestamp DESC, dag_id, run_id, task_id, alert LIMIT :limit OFFSET :offset",
                Params.of("dagId", dagId).and("limit", limit).and("offset", offset),
                SlaMissRepository::map);
    }

    /** How many misses there are, of one DAG when {@code dagId} is not null. */
    public int count(String dagId) {
        return jdbc.queryOne(
                        "SELECT count(*) AS n FROM sla_miss WHERE (CAST(:dagId AS text) IS NULL OR dag_id = :dagId)",
                        Params.of("dagId", dagId),
                        row -> row.getInt("n"))
                .orElse(0);
    }

    /** The DAG ids that have misses, sorted: the page's filter. */
    public List<String> dagIds() {
        return jdbc.query(
                "SELECT DISTINCT dag_id FROM sla_miss ORDER BY dag_id", Params.none(), row -> row.getString("dag_id"));
    }

    private static SlaMiss map(ResultSet row) throws SQLException {
        return new SlaMiss(
                row.getString("dag_id"),
                row.getString("run_id"),
                row.getString("task_id"),
                row.getString("kind"),
                row.getInt("alert"),
                Jdbc.instant(row, "execution_date"),
                Jdbc.instant(row, "expected_by"),
                Jdbc.instant(row, "timestamp"),
                row.getBoolean("notification_sent"),
                row.getString("description"));
    }
}
