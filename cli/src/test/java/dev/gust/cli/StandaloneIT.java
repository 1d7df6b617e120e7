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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as written: {@code ./gust standalone} on a fresh home folder
 * starts the embedded PostgreSQL, loads the example DAGs and serves the UI; SIGTERM stops it
 * cleanly; a second start finds the same database.
 */
class StandaloneIT {

    @TempDir
    Path home;

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void standaloneServesTheExampleDagsAndStopsCleanly() throws Exception {
        int port = GustProcess.freePort();
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_WEBSERVER__PORT", String.valueOf(port));
        try (GustProcess gust = GustProcess.start(env, "standalone")) {
            HttpResponse<String> health = waitForHealth(gust, port);
            assertThat(health.statusCode()).as(gust.output()).isEqualTo(200);
            assertThat(health.body()).contains("\"metadatabase\":{\"status\":\"healthy\"}");

            java.util.regex.Matcher password =
                    java.util.regex.Pattern.compile("gust:   password: (\\S+)").matcher(gust.stdout());
            assertThat(password.find()).as(gust.output()).isTrue();
            assertThat(gust.stdout()).contains("gust:   username: admin");
            assertThat(get(port, "/").statusCode())
                    .as("anonymous is sent to the login page")
                    .isEqualTo(302);
            String page = get(port, "/", "admin", password.group(1)).body();
            try (var files = Files.list(GustProcess.REPO_ROOT.resolve("dags"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".yaml")).count())
                        .isGreaterThanOrEqualTo(4);
            }
            assertThat(page)
                    .contains(
                            "data-dag-id=\"example_bash_etl\"",
                            "data-dag-id=\"example_branching\"",
                            "data-dag-id=\"example_params\"",
                            "data-dag-id=\"example_sensors_and_http\"");
            assertThat(page).doesNotContain("Broken DAG");

            assertThat(gust.terminate(Duration.ofSeconds(60))).as(gust.output()).isZero();
            assertThat(gust.stderr()).contains("gust: stopping");
        }
        assertThat(home.resolve("postgres/PG_VERSION")).exists();

        // The data survives: the CLI finds the DAGs and the admin standalone stored.
        GustProcess.Result users = GustProcess.run(env, "users", "list", "-o", "json");
        assertThat(users.stdout()).as(users.all()).contains("\"username\" : \"admin\"", "\"role\" : \"admin\"");
        GustProcess.Result list = GustProcess.run(env, "dags", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        assertThat(list.stdout()).contains("\"dag_id\" : \"example_bash_etl\"");
    }

    private HttpResponse<String> waitForHealth(GustProcess gust, int port) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!gust.process().isAlive()) {
                throw new AssertionError("gust standalone exited early:\n" + gust.output());
            }
            try {
                return get(port, "/health");
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("gust standalone did not answer /health within 2 minutes:\n" + gust.output());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, String username, String password) throws Exception {
        String basic = java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Basic " + basic)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
