package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.sync.DagFolderPoller;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.scheduler.health.SchedulerHealthServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run of the example DAGs (and one that fails) on a whole scheduler moves the metrics in every
 * output: scraped from the health port's {@code /metrics} over HTTP, received as StatsD lines by a
 * UDP listener here, and written as CloudWatch EMF lines. The deadlines are functional (the
 * runs must finish at all), not speed checks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunOfTheExampleDagsMovesCountersAndGaugesInPrometheusStatsdAndEmf() throws Exception {
        try (DatagramSocket statsd = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            List<String> statsdLines = new CopyOnWriteArrayList<>();
            Thread listener = Thread.ofVirtual().start(() -> receive(statsd, statsdLines));
            List<String> emfLines = new CopyOnWriteArrayList<>();
            try (EngineHarness harness = EngineHarness.create(Map.of(
                            "GUST_METRICS__STATSD_ON", "true",
                            "GUST_METRICS__STATSD_HOST", "127.0.0.1",
                            "GUST_METRICS__STATSD_PORT", Integer.toString(statsd.getLocalPort()),
                            "GUST_METRICS__STATSD_PREFIX", "airflow",
                            "GUST_METRICS__EMF_ON", "true",
                            "GUST_METRICS__EMF_NAMESPACE", "Gust/test",
                            "GUST_METRICS__INTERVAL", "1s"));
                    MetricsExport export = MetricsExport.start(harness.config().metrics(), emfLines::add)) {
                for (String example : List.of("example_bash_etl.yaml", "example_task_groups.yaml")) {
                    harness.dag(example, Files.readString(Path.of("..", "dags", example)));
                }
                harness.dag("breaks.yaml", """
                        breaks:
                          schedule: null
                          tasks:
                            boom: {operator: bash, bash_command: 'exit 3'}
                        """);
                try (DagFolderPoller poller = new DagFolderPoller(harness.folderSync(), null, export.metrics())) {
                    poller.start(Duration.ofMinutes(10));
                }
                SchedulerEngine engine = harness.startEngine(export.metrics());
                try (SchedulerHealthServer health = new SchedulerHealthServer(
                        engine::lastRoundCompleted,
                        () -> true,
                        Duration.ofMinutes(1),
                        Clock.systemUTC(),
                        export::scrape)) {
                    int port = health.start(0);
                    List<DagRun> runs = new ArrayList<>();
                    for (String dagId : List.of("example_bash_etl", "example_task_groups", "breaks")) {
                        runs.add(harness.trigger(dagId));
                    }
                    for (DagRun run : runs) {
                        DagRun finished = harness.awaitFinished(run, Duration.ofSeconds(60));
                        assertThat(finished.state())
                                .as(run.dagId() + " " + harness.states(finished) + " "
                                        + harness.taskInstances(finished).stream()
                                                .filter(ti -> ti.state() == dev.gust.core.state.TaskState.FAILED)
                                                .map(ti -> harness.log(finished, ti.taskId(), 1))
                                                .toList())
                                .isEqualTo(run.dagId().equals("breaks") ? DagRunState.FAILED : DagRunState.SUCCESS);
                    }

                    String scraped = EngineHarness.await(
                            Duration.ofSeconds(20),
                            "the run durations and a pool sample in /metrics",
                            () -> scrape(port),
                            text -> text.contains("dagrun_duration_failed_seconds_count{dag_id=\"breaks\"} 1")
                                    && text.contains("pool_open_slots{pool=\"default_pool\"}"));
                    assertThat(scraped)
                            .contains("ti_finish_total{dag_id=\"example_bash_etl\",state=\"success\"} 5.0")
                            .contains("ti_finish_total{dag_id=\"breaks\",state=\"failed\"} 1.0")
                            .contains("ti_start_total{dag_id=\"example_task_groups\"} 6.0")
                            .contains("ti_failures_total 1.0")
                            .contains("dagrun_duration_success_seconds_count{dag_id=\"example_bash_etl\"} 1")
                            .contains("dagbag_size 3.0")
                            .contains("dag_processing_import_errors 0.0")
                            .contains("executor_open_slots 16.0")
                            .contains("jvm_memory_used_bytes")
                            .contains("hikaricp_connections");
                    assertThat(value(scraped, "ti_successes_total")).isGreaterThanOrEqualTo(8);
                    assertThat(value(scraped, "created_task_instances_total")).isEqualTo(5 + 6 + 1);
                    assertThat(value(scraped, "scheduler_heartbeat_total")).isGreaterThan(0);
                    assertThat(value(scraped, "scheduler_scheduler_loop_duration_seconds_count"))
                            .isGreaterThan(0);

                    EngineHarness.await(
                            Duration.ofSeconds(20),
                            "StatsD lines with Airflow's names",
                            () -> List.copyOf(statsdLines),
                            // counters go once per interval, as what they gathered in it
                            lines -> statsdTotal(lines, "airflow.ti.finish.example_bash_etl.success") == 5
                                    && statsdTotal(lines, "airflow.ti_failures") == 1
                                    && lines.stream().anyMatch(l -> l.startsWith("airflow.scheduler_heartbeat:"))
                                    && lines.stream()
                                            .anyMatch(l -> l.startsWith("airflow.pool.open_slots.default_pool:")
                                                    && l.endsWith("|g"))
                                    && lines.stream().anyMatch(l -> l.startsWith("airflow.dagbag_size:3|g")));

                    EngineHarness.await(
                            Duration.ofSeconds(20),
                            "EMF lines counting the successes",
                            () -> emfTotal(emfLines, "ti_successes"),
                            total -> total >= 8);
                    JsonNode directive = JSON.readTree(emfLines.getFirst())
                            .path("_aws")
                            .path("CloudWatchMetrics")
                            .get(0);
                    assertThat(directive.path("Namespace").asText()).isEqualTo("Gust/test");
                    assertThat(emfLines)
                            .as("the EMF output holds Gust's metrics only")
                            .noneMatch(l -> l.contains("jvm_memory"))
                            .anyMatch(l -> l.contains("\"dag_id\":\"example_bash_etl\"")
                                    && l.contains("dagrun.duration.success"));
                }
            } finally {
                statsd.close();
                listener.join();
            }
        }
    }

    private static void receive(DatagramSocket socket, List<String> lines) {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            lines.addAll(text.lines().toList());
        }
    }

    /** The sum of a StatsD counter's lines ({@code name:N|c}). */
    private static long statsdTotal(List<String> lines, String name) {
        return lines.stream()
                .filter(l -> l.startsWith(name + ":") && l.endsWith("|c"))
                .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1, l.length() - 2)))
                .sum();
    }

    private static String scrape(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of an untagged sample in Prometheus text. */
    private static double value(String scraped, String name) {
        return scraped.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + " in\n" + scraped));
    }

    /** The sum of an untagged metric over the EMF lines (each line holds one interval's count). */
    private static double emfTotal(List<String> lines, String name) {
        double total = 0;
        for (String line : lines) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node.has("_aws") && node.has(name)) {
                    total += node.get(name).asDouble();
                }
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return total;
    }
}
