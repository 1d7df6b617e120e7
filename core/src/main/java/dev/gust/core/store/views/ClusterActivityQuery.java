package dev.gust.core.store.views;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard (Airflow 3's home page, "cluster activity"): the scheduler jobs and their
 * heartbeats, runs and task instances by state over a recent window (those still waiting or in
 * flight count whenever they started), what holds executor slots now, and how many DAGs there
 * are. Each part is one statement that reads through indexes or small tables.
 */
public final class ClusterActivityQuery {

    /** A {@code job} row and how old its heartbeat is by the database's clock. */
    public record Job(
            long id,
            String jobType,
            String state,
            String hostname,
            Integer pid,
            Instant startDate,
            Instant endDate,
            Instant latestHeartbeat,
            Duration heartbeatAge) {}

    /** DAGs that are scheduled and DAGs that are paused (DAGs whose file is gone are not counted). */
    public record DagCounts(long active, long paused) {}

    /** Task instances that are waiting or in flight: counted whenever they started. */
    private static final List<String> IN_FLIGHT =
            List.of("scheduled", "queued", "running", "up_for_retry", "up_for_reschedule", "restarting");

    private final Jdbc jdbc;

    public ClusterActivityQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Running jobs and those that ended within {@code window}, latest heartbeat first, at most 20. */
    public List<Job> jobs(Duration window) {
        return jdbc.query(
                """
                SELECT id, job_type, state, hostname, pid, start_date, end_date, latest_heartbeat,
                       extract(epoch FROM now() - latest_heartbeat) AS age_seconds
                  FROM job
                 WHERE state = :runningJob OR end_date >= now() - make_interval(secs => :seconds)
                 ORDER BY latest_heartbeat DESC
                 LIMIT 20""",
                // a job's own state, which shares its word with a task's
                Params.of("seconds", (double) window.toSeconds()).and("runningJob", "running"),
                row -> new Job(
                        row.getLong("id"),
                        row.getString("job_type"),
                        row.getString("state"),
                        row.getString("hostname"),
                        Jdbc.nullableInt(row, "pid"),
                        Jdbc.instant(row, "start_date"),
                        Jdbc.instant(row, "end_date"),
                        Jdbc.instant(row, "latest_heartbeat"),
                        Duration.ofMillis(Math.max(0, Math.round(row.getDouble("age_seconds") * 1000)))));
    }

    /** Runs by state: started since {@code since}, plus every queued or running one. */
    public Map<String, Long> runStates(Instant since) {
        return counts("""
                SELECT state, count(*) AS n FROM dag_run
                 WHERE start_date >= :since OR state = ANY(:unfinished)
                 GROUP BY state""", Params.of("since", since).and("unfinished", DagRunState.UNFINISHED));
    }

    /**
     * Task instances by state: those of runs started since {@code since}, plus every one waiting
     * or in flight. Counted from the runs (a few hundred a day, each's task instances through the
     * primary key) and the state index, never by scanning every task instance's start time.
     */
    public Map<String, Long> taskInstanceStates(Instant since) {
        return counts("""
                SELECT state, count(*) AS n FROM (
                    SELECT ti.state FROM dag_run r
                      JOIN task_instance ti ON ti.dag_id = r.dag_id AND ti.run_id = r.run_id
                     WHERE r.start_date >= :since AND ti.state <> ALL (CAST(:inFlight AS text[]))
                    UNION ALL
                    SELECT state FROM task_instance WHERE state = ANY (CAST(:inFlight AS text[]))) counted
                 GROUP BY state""", Params.of("since", since).and("inFlight", IN_FLIGHT));
    }

    public DagCounts dagCounts() {
        return jdbc.queryOne("""
                SELECT count(*) FILTER (WHERE NOT is_paused) AS active, count(*) FILTER (WHERE is_paused) AS paused
                  FROM dag WHERE is_active""", Params.none(), row -> new DagCounts(row.getLong("active"), row.getLong("paused")))
                .orElse(new DagCounts(0, 0));
    }

    public long dagWarnings() {
        return jdbc.queryOne("SELECT count(*) FROM dag_warning", Params.none(), row -> row.getLong(1))
                .orElse(0L);
    }

    private Map<String, Long> counts(String sql, Params params) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query(sql, params, row -> counts.put(row.getString("state"), row.getLong("n")));
        return counts;
    }
}
