package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewDagRun;
import dev.gust.core.store.sla.SlaMissRepository;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recorded SLA misses over real HTTP: the Browse, SLA misses page (server-rendered, filtered by
 * DAG, readable without JavaScript) and the Gust extension {@code GET /api/v1/gust/slaMisses}, both
 * for a Viewer.
 */
class SlaMissesWebTest {

    static final String DAGS = """
            nightly:
              schedule: "@daily"
              start_date: 2024-01-01
              tasks:
                load: {operator: empty, sla: 1h}
            hourly:
              schedule: "@hourly"
              start_date: 2024-01-01
              tasks:
                ping: {operator: empty, sla_secs: 60}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    /** After the server's own reset (it deletes the DAGs, and with them runs and misses). */
    @BeforeEach
    void recordMisses() {
        DagRunRepository runs = new DagRunRepository(api.db.jdbc());
        Instant start = Instant.parse("2024-03-01T00:00:00Z");
        runs.create(new NewDagRun(
                "nightly",
                "scheduled__2024-03-01",
                start,
                start,
                start.plus(Duration.ofDays(1)),
                "scheduled",
                "{}",
                false,
                null,
                null));
        runs.create(new NewDagRun(
                "hourly",
                "scheduled__2024-03-01",
                start,
                start,
                start.plus(Duration.ofHours(1)),
                "scheduled",
                "{}",
                false,
                null,
                null));
        SlaMissRepository misses = new SlaMissRepository(api.db.jdbc());
        assertThat(misses.recordTaskMisses(
                        List.of(
                                new SlaMissRepository.TaskSla("nightly", "load", Duration.ofHours(1)),
                                new SlaMissRepository.TaskSla("hourly", "ping", Duration.ofMinutes(1))),
                        Instant.parse("2024-03-05T00:00:00Z"),
                        Duration.ofDays(30)))
                .hasSize(2);
        TestUsers.create(api.db.jdbc(), "viewer", "viewer");
    }

    @Test
    void theBrowsePageListsThemAndFiltersByDag() throws Exception {
        WebClient viewer = new WebClient(api.port);
        viewer.login("viewer", TestUsers.PASSWORD);
        String all = viewer.get("/sla-misses").body();
        assertThat(all)
                .contains("<a href=\"/sla-misses\">SLA misses</a>")
                .contains("<h1>SLA misses <small class=\"muted\">2</small></h1>")
                .contains("<td><a href=\"/dags/nightly/grid\">nightly</a></td>")
                .contains("<td>load</td>")
                .contains("<td>ping</td>")
                .contains("not succeeded 01:00:00 after the end of its data interval")
                .contains("no callback");
        String nightly = viewer.get("/sla-misses?dag_id=nightly").body();
        assertThat(nightly)
                .contains("<td>load</td>")
                .doesNotContain("<td>ping</td>")
                .contains("<option value=\"nightly\" selected>nightly</option>");
        assertThat(viewer.get("/sla-misses?dag_id=none").body()).contains("No SLA misses.");
    }

    @Test
    void theApiExtensionListsThemNewestFirstForAViewer() throws Exception {
        WebClient viewer = new WebClient(api.port);
        var reply = viewer.send(
                "GET", "/api/v1/gust/slaMisses?dag_id=nightly", null, null, "Authorization", TestUsers.basic("viewer"));
        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode body = ApiTestServer.JSON.readTree(reply.body());
        assertThat(body.get("total_entries").asInt()).isEqualTo(1);
        JsonNode miss = body.get("sla_misses").get(0);
        assertThat(miss.get("dag_id").asText()).isEqualTo("nightly");
        assertThat(miss.get("task_id").asText()).isEqualTo("load");
        assertThat(miss.get("dag_run_id").asText()).isEqualTo("scheduled__2024-03-01");
        assertThat(miss.get("kind").asText()).isEqualTo("sla");
        assertThat(miss.get("execution_date").asText()).startsWith("2024-03-01T00:00:00");
        assertThat(miss.get("expected_by").asText()).startsWith("2024-03-02T01:00:00");
        assertThat(miss.get("notification_sent").asBoolean()).isFalse();
        assertThat(api.get("/gust/slaMisses").json().get("total_entries").asInt())
                .isEqualTo(2);
        assertThat(api.get("/gust/slaMisses?limit=1").json().get("sla_misses")).hasSize(1);
    }
}
