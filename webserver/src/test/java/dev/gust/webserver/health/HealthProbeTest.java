package dev.gust.webserver.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.TimeBoxed;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The web server's {@code /health} probe against a database that is gone, through a real pool. */
class HealthProbeTest {

    @Test
    void aPoolWaitingOutItsConnectionTimeoutIsCutShortSoTheLoadBalancerGetsAnAnswer() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + deadPort + "/gust");
        // as Database's pool: it comes up while the database is down, and getConnection waits this long
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
        try (HikariDataSource pool = new HikariDataSource(config)) {
            HealthProbe probe = new HealthProbe(new Jdbc(pool), Duration.ofSeconds(30), Clock.systemUTC());
            Instant asked = Instant.now();
            HealthReport report = probe.check();
            Duration took = Duration.between(asked, Instant.now());
            assertThat(report.httpStatus()).isEqualTo(503);
            assertThat(took)
                    .as("answered within the probe's limit, not the pool's 30 s")
                    .isBetween(TimeBoxed.DATABASE_PROBE_TIMEOUT.minusMillis(100), Duration.ofSeconds(10));
        }
    }
}
