package dev.gust.scheduler.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.testing.SettableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /health} over real HTTP, with the loop's last round and the time set by the test. */
class SchedulerHealthServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final SettableClock clock = new SettableClock(T0);
    final AtomicReference<Instant> lastRound = new AtomicReference<>();
    final AtomicBoolean databaseAnswers = new AtomicBoolean(true);
    final HttpClient http = HttpClient.newHttpClient();
    SchedulerHealthServer server;
    int port;

    @BeforeEach
    void start() {
        server = new SchedulerHealthServer(lastRound::get, databaseAnswers::get, Duration.ofSeconds(30), clock);
        port = server.start(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthyOnlyWhileTheLoopIsFreshAndTheDatabaseAnswers() throws Exception {
        HttpResponse<String> noRoundYet = get("/health");
        assertThat(noRoundYet.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(noRoundYet.body()).get("reason").asText()).contains("has not completed a round yet");

        lastRound.set(T0);
        clock.set(T0.plusSeconds(10));
        HttpResponse<String> fresh = get("/health");
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode healthy = JSON.readTree(fresh.body());
        assertThat(healthy.get("status").asText()).isEqualTo("healthy");
        assertThat(healthy.get("last_loop_completed").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(healthy.has("reason")).isFalse();

        clock.set(T0.plusSeconds(45));
        HttpResponse<String> stale = get("/health");
        assertThat(stale.statusCode()).isEqualTo(503);
        JsonNode stuck = JSON.readTree(stale.body());
        assertThat(stuck.get("status").asText()).isEqualTo("unhealthy");
        assertThat(stuck.get("reason").asText())
                .isEqualTo("the scheduling loop last completed a round 45s ago (threshold 30s)");

        lastRound.set(T0.plusSeconds(44));
        assertThat(get("/health").statusCode()).isEqualTo(200);

        databaseAnswers.set(false);
        HttpResponse<String> noDatabase = get("/health");
        assertThat(noDatabase.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(noDatabase.body()).get("reason").asText())
                .isEqualTo("the metadata database does not answer");
    }

    @Test
    void aDatabaseProbeThatThrowsOrHangsIsUnhealthy() throws Exception {
        lastRound.set(T0);
        try (SchedulerHealthServer throwing = new SchedulerHealthServer(
                lastRound::get,
                () -> {
                    throw new IllegalStateException("connection refused");
                },
                Duration.ofSeconds(30),
                clock)) {
            assertThat(throwing.check().healthy()).isFalse();
        }
        try (SchedulerHealthServer hanging = new SchedulerHealthServer(
                lastRound::get,
                () -> {
                    try {
                        Thread.sleep(Duration.ofMinutes(1));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return true;
                },
                Duration.ofSeconds(30),
                clock)) {
            SchedulerHealthServer.Health health = hanging.check();
            assertThat(health.healthy()).isFalse();
            assertThat(health.reason()).isEqualTo("the metadata database does not answer");
        }
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void aPortInUseIsABindException() {
        try (SchedulerHealthServer second =
                new SchedulerHealthServer(lastRound::get, databaseAnswers::get, Duration.ofSeconds(30), clock)) {
            Assertions.assertThatThrownBy(() -> second.start(port))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(BindException.class);
        }
    }
}
