package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code gust scheduler} logging JSON as in a container, with EMF on: its health port
 * answers {@code /metrics} with the run's counters, and its log (stderr) holds the try's log lines
 * with the DAG, run, task and try ids as fields, and EMF lines CloudWatch reads as metrics.
 */
class MetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void aSchedulerServesMetricsAndWritesLogFieldsAndEmfLines() throws Exception {
        Path dags = Files.createDirectories(home.resolve("dags"));
        Files.writeString(dags.resolve("metrics_it.yaml"), """
                metrics_it:
                  schedule: null
                  tasks:
                    first: {operator: bash, bash_command: 'echo one'}
                    second: {operator: bash, bash_command: 'echo two', dependencies: [first]}
                """);
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        int healthPort = GustProcess.freePort();
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_SCHEDULER__HEALTH_PORT", String.valueOf(healthPort));
        env.put("GUST_LOGGING__FORMAT", "json");
        env.put("GUST_METRICS__EMF_ON", "true");
        env.put("GUST_METRICS__EMF_NAMESPACE", "Gust/it");
        env.put("GUST_METRICS__INTERVAL", "1s");
        check(GustProcess.run(env, "dags", "reserialize"));
        check(GustProcess.run(env, "dags", "unpause", "metrics_it"));
        check(GustProcess.run(env, "dags", "trigger", "metrics_it"));

        try (GustProcess scheduler = GustProcess.start(env, "scheduler")) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            String scraped = null;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (Instant.now().isBefore(deadline)) {
                if (!scheduler.process().isAlive()) {
                    throw new AssertionError("gust scheduler exited early:\n" + scheduler.output());
                }
                try {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + healthPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200
                            && response.body()
                                    .contains("dagrun_duration_success_seconds_count{dag_id=\"metrics_it\"} 1")) {
                        scraped = response.body();
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            assertThat(scraped).as(scheduler.output()).isNotNull();
            assertThat(scraped)
                    .contains("ti_finish_total{dag_id=\"metrics_it\",state=\"success\"} 2.0")
                    .contains("dagbag_size 1.0")
                    .contains("hikaricp_connections");
            Thread.sleep(2500); // an EMF interval or two

            List<JsonNode> logLines = new ArrayList<>();
            List<JsonNode> emfLines = new ArrayList<>();
            for (String line : scheduler.stderr().lines().toList()) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                (node.has("_aws") ? emfLines : logLines).add(node);
            }
            assertThat(logLines)
                    .as(scheduler.output())
                    .anyMatch(l -> l.path("formattedMessage").asText().equals("task instance finished: success")
                            && l.path("mdc").path("dag_id").asText().equals("metrics_it")
                            && l.path("mdc").path("task_id").asText().equals("second")
                            && l.path("mdc").path("try_number").asText().equals("1")
                            && l.path("mdc").path("run_id").asText().startsWith("manual__"));
            assertThat(emfLines).as(scheduler.output()).isNotEmpty();
            assertThat(emfLines.getFirst()
                            .path("_aws")
                            .path("CloudWatchMetrics")
                            .get(0)
                            .path("Namespace")
                            .asText())
                    .isEqualTo("Gust/it");
            assertThat(emfLines.stream()
                            .mapToDouble(l -> l.path("scheduler_heartbeat").asDouble())
                            .sum())
                    .isGreaterThan(0);
            assertThat(emfLines.stream()
                            .mapToDouble(l -> l.path("ti_successes").asDouble())
                            .sum())
                    .isEqualTo(2.0);
        }
    }

    private static void check(GustProcess.Result result) {
        assertThat(result.exitCode()).as(result.all()).isZero();
    }
}
