package dev.gust.webserver.health;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.TimeBoxed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the metadata database the two questions of {@code /health} in one round trip: does it
 * answer, and when did a scheduler last heartbeat. Never throws: a database that is gone is the
 * answer "unhealthy", which turns the ALB target red, and a pool that waits out its connection
 * timeout for a database that is gone is cut short after {@link TimeBoxed#DATABASE_PROBE_TIMEOUT}, so
 * the ALB's probe (5 s by default) gets its 503 rather than a timeout.
 */
public final class HealthProbe {

    private static final String LATEST_SCHEDULER_HEARTBEAT = """
            SELECT latest_heartbeat AS latest
              FROM job
             WHERE job_type = 'scheduler' AND state = 'running'
             ORDER BY latest_heartbeat DESC
             LIMIT 1
            """;
    private static final Logger log = LoggerFactory.getLogger(HealthProbe.class);

    private final Jdbc jdbc;
    private final Duration schedulerThreshold;
    private final Clock clock;

    public HealthProbe(Jdbc jdbc, Duration schedulerThreshold, Clock clock) {
        this.jdbc = jdbc;
        this.schedulerThreshold = schedulerThreshold;
        this.clock = clock;
    }

    public HealthReport check() {
        // Optional.of(empty) is "the database answered: no scheduler"; empty is "no answer in time".
        Optional<Optional<Instant>> answer =
                TimeBoxed.call("health-database-probe", TimeBoxed.DATABASE_PROBE_TIMEOUT, () -> {
                    try {
                        return jdbc.queryOne(
                                LATEST_SCHEDULER_HEARTBEAT, Params.none(), row -> Jdbc.instant(row, "latest"));
                    } catch (RuntimeException e) {
                        log.debug("health check: the metadata database does not answer", e);
                        return null;
                    }
                });
        if (answer.isEmpty()) {
            return new HealthReport(false, false, null);
        }
        Instant latest = answer.get().orElse(null);
        boolean schedulerAlive =
                latest != null && latest.isAfter(clock.instant().minus(schedulerThreshold));
        return new HealthReport(true, schedulerAlive, latest);
    }
}
