package dev.gust.core.store.jobs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Duration;
import java.util.List;

/**
 * The {@code job} table: each scheduler process registers a row and heartbeats it, so that the
 * others (and {@code /health}, and {@code gust jobs check}) know which are alive.
 */
public final class JobRepository {

    public static final String SCHEDULER = "scheduler";

    private final Jdbc jdbc;

    public JobRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers a running job and returns its id. */
    public long register(String jobType, String hostname, long pid) {
        return jdbc.queryOne(
                        """
                INSERT INTO job (job_type, state, hostname, pid) VALUES (:type, 'running', :hostname, :pid)
                RETURNING id""",
                        Params.of("type", jobType).and("hostname", hostname).and("pid", (int) pid),
                        row -> row.getLong("id"))
                .orElseThrow();
    }

    /** Returns false when the row is no longer running (another process declared this job dead). */
    public boolean heartbeat(long jobId) {
        return jdbc.update(
                        "UPDATE job SET latest_heartbeat = now() WHERE id = :id AND state = 'running'",
                        Params.of("id", jobId))
                == 1;
    }

    public void end(long jobId, String state) {
        jdbc.update(
                "UPDATE job SET state = :state, end_date = now() WHERE id = :id AND state = 'running'",
                Params.of("id", jobId).and("state", state));
    }

    /** Running jobs of a type whose heartbeat is fresher than {@code threshold}. */
    public List<Long> alive(String jobType, Duration threshold) {
        return jdbc.query(
                """
                SELECT id FROM job
                 WHERE job_type = :type AND state = 'running'
                   AND latest_heartbeat > now() - make_interval(secs => :seconds)""",
                Params.of("type", jobType).and("seconds", (double) threshold.toMillis() / 1000),
                row -> row.getLong("id"));
    }

    /**
     * As Airflow's {@code jobs check}: of the {@code limit} running jobs of a type (on {@code hostname}
     * when given) that heartbeat last, the ids of those whose heartbeat is fresher than {@code threshold}.
     * A limit of 0 looks at every running job. Freshness is judged by the database's clock, the one
     * that wrote the heartbeats.
     */
    public List<Long> aliveAmongLatest(String jobType, String hostname, int limit, Duration threshold) {
        return jdbc.query(
                """
                SELECT id FROM (
                    SELECT id, latest_heartbeat FROM job
                     WHERE job_type = :type AND state = 'running'
                       AND (CAST(:hostname AS text) IS NULL OR hostname = :hostname)
                     ORDER BY latest_heartbeat DESC
                     LIMIT CAST(:limit AS integer)) latest
                 WHERE latest_heartbeat > now() - make_interval(secs => :seconds)
                 ORDER BY latest_heartbeat DESC""",
                Params.of("type", jobType)
                        .and("hostname", hostname)
                        .and("limit", limit > 0 ? limit : null)
                        .and("seconds", (double) threshold.toMillis() / 1000),
                row -> row.getLong("id"));
    }
}
