package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gust jobs check} and the scheduler's own {@code /health} against a real {@code gust scheduler}:
 * both say yes only while it really works, and the health check turns red when its database dies.
 */
class JobsCheckIT {

    @TempDir
    Path home;

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void jobsCheckAndHealthTellTheTruthAboutARunningScheduler() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        GustProcess.Result none = GustProcess.run(env, "jobs", "check");
        assertThat(none.exitCode()).as(none.all()).isEqualTo(1);
        assertThat(none.stderr())
                .as(none.all())
                .contains("No alive jobs found.")
                .doesNotContain("Exception");

        int healthPort = GustProcess.freePort();
        env.put("GUST_SCHEDULER__HEALTH_PORT", String.valueOf(healthPort));
        try (GustProcess scheduler = GustProcess.start(env, "scheduler")) {
            HttpResponse<String> healthy = awaitHealth(scheduler, healthPort, status -> status == 200);
            assertThat(healthy.body())
                    .as(scheduler.output())
                    .contains("\"status\":\"healthy\"", "\"last_loop_completed\":\"");

            GustProcess.Result alive = GustProcess.run(env, "jobs", "check", "--threshold", "30s");
            assertThat(alive.exitCode()).as(alive.all()).isZero();
            assertThat(alive.stdout()).isEqualTo("Found one alive job." + System.lineSeparator());

            GustProcess.Result second = GustProcess.run(env, "scheduler");
            assertThat(second.exitCode()).as(second.all()).isEqualTo(1);
            assertThat(second.stderr()
                            .lines()
                            .filter(line -> line.startsWith("error: "))
                            .toList())
                    .as(second.all())
                    .singleElement()
                    .asString()
                    .contains("port " + healthPort, "GUST_SCHEDULER__HEALTH_PORT");

            // The database goes away under the running scheduler: its health check must say so.
            long postgres = Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid"))
                    .getFirst()
                    .strip());
            ProcessHandle.of(postgres).orElseThrow().destroyForcibly();
            HttpResponse<String> lost = awaitHealth(scheduler, healthPort, status -> status == 503);
            assertThat(lost.body())
                    .as(scheduler.output())
                    .contains("\"status\":\"unhealthy\"", "the metadata database does not answer");
        }
    }

    private HttpResponse<String> awaitHealth(GustProcess gust, int port, IntPredicate wanted) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        HttpResponse<String> last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!gust.process().isAlive()) {
                throw new AssertionError("gust scheduler exited early:\n" + gust.output());
            }
            try {
                last = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (wanted.test(last.statusCode())) {
                    return last;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "the scheduler's /health did not give the expected status within 2 minutes; last answer "
                        + (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n" + gust.output());
    }
}
