package dev.gust.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRecord;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.importerrors.ImportProblem;
import dev.gust.core.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web server over real HTTP on a real PostgreSQL. */
class GustWebServerTest {

    static TestDatabase db;
    static GustWebServer server;
    static int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        server = serverOn(db.jdbc());
        TestUsers.create(db.jdbc(), "viewer", "viewer");
        port = server.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM dag", Params.none());
        db.jdbc().update("DELETE FROM import_error", Params.none());
        db.jdbc().update("DELETE FROM job", Params.none());
    }

    @Test
    void healthIsAirflowShapedWithoutScheduler() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo(
                        "{\"metadatabase\":{\"status\":\"healthy\"},\"scheduler\":{\"status\":\"unhealthy\",\"latest_scheduler_heartbeat\":null},"
                                + "\"dag_processor\":{\"status\":\"unhealthy\",\"latest_dag_processor_heartbeat\":null},"
                                + "\"triggerer\":{\"status\":null,\"latest_triggerer_heartbeat\":null}}");
    }

    @Test
    void healthReportsARecentSchedulerHeartbeat() throws Exception {
        db.jdbc()
                .update(
                        "INSERT INTO job (job_type, state, hostname, latest_heartbeat) VALUES ('scheduler', 'running', 'h', now())",
                        Params.none());
        HttpResponse<String> response = get("/health");
        assertThat(response.body())
                .contains("\"scheduler\":{\"status\":\"healthy\",\"latest_scheduler_heartbeat\":\"20");
    }

    @Test
    void healthIs503WhenTheDatabaseIsGone() throws Exception {
        // A pool on a database that does not exist stands for one that went away.
        try (GoneDatabase gone = new GoneDatabase(db);
                GustWebServer down = serverOn(gone.jdbc())) {
            int downPort = down.start("127.0.0.1", 0);
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + downPort + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"metadatabase\":{\"status\":\"unhealthy\"}");
        }
    }

    @Test
    void dagListShowsDagsAndEscapedImportErrors() throws Exception {
        new DagRepository(db.jdbc())
                .upsert(
                        new DagRecord(
                                "etl",
                                "etl.yaml",
                                "Daily <b>ETL</b>",
                                "data-eng",
                                List.of("sales"),
                                "@daily",
                                "at 00:00",
                                16,
                                16,
                                "{}",
                                "h1",
                                null,
                                null,
                                null),
                        true);
        new ImportErrorRepository(db.jdbc())
                .replaceForFile("broken.yaml", List.of(new ImportProblem(3, "unknown operator '<script>'")));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .header("Authorization", TestUsers.basic("viewer"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("data-dag-id=\"etl\"")
                .contains("Daily &lt;b&gt;ETL&lt;/b&gt;")
                .contains("Broken DAG: broken.yaml:3")
                .contains("&lt;script&gt;")
                .doesNotContain("<script>");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static GustWebServer serverOn(Jdbc jdbc) {
        return new GustWebServer(WebServices.create(testConfig(), jdbc));
    }

    /** A config with its own encryption key, so that nothing is written under ~/.gust. */
    static GustConfig testConfig() {
        return TestConfigs.config(Map.of());
    }
}
