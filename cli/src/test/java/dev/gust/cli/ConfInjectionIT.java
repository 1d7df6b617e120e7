package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, finding 3, as an attacker with the User role does it: trigger the shipped
 * {@code example_params} DAG on a real {@code gust standalone} with a conf that carries a shell
 * command, let the scheduler run it with real bash, and check that the command never ran (the
 * file it would create does not exist) while the value reached the task as plain text; a conf
 * that breaks a param's schema is refused with a 400 (and by {@code gust dags trigger}) and creates
 * no run. A DAG that interpolates
 * {@code params} unquoted gets a DAG warning in the REST API and in
 * {@code gust dags list-import-errors --warnings}, which still exits 0 for warnings alone.
 */
class ConfInjectionIT {

    private static final String PASSWORD = "attacker-password-1";

    @TempDir
    Path home;

    @TempDir
    Path dags;

    @TempDir
    Path loot;

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aUserCannotRunCommandsThroughTheConfOfTheExampleDag() throws Exception {
        Files.copy(GustProcess.REPO_ROOT.resolve("dags/example_params.yaml"), dags.resolve("example_params.yaml"));
        Files.writeString(dags.resolve("careless.yaml"), """
                careless:
                  schedule: null
                  params: {name: world}
                  tasks:
                    hello: {operator: bash, bash_command: "echo hello {{ params.name }}"}
                """);
        Path pwned = loot.resolve("pwned");
        int port = GustProcess.freePort();
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_WEBSERVER__PORT", String.valueOf(port));
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        try (GustProcess gust = GustProcess.start(env, "standalone")) {
            waitForHealth(gust, port);
            Matcher admin = Pattern.compile("gust:   password: (\\S+)").matcher(gust.stdout());
            assertThat(admin.find()).as(gust.output()).isTrue();
            HttpResponse<String> created = send(
                    port,
                    "POST",
                    "/users",
                    "admin",
                    admin.group(1),
                    "{\"username\": \"mallory\", \"password\": \"" + PASSWORD
                            + "\", \"roles\": [{\"name\": \"User\"}]}");
            assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);

            String conf = "{\"report\": \"x; touch " + pwned + "; echo owned\"}";
            HttpResponse<String> trigger =
                    send(port, "POST", "/dags/example_params/dagRuns", "mallory", PASSWORD, "{\"conf\": " + conf + "}");
            assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(200);
            String runId = field(trigger.body(), "dag_run_id");

            String state = waitForRunEnd(gust, port, runId);
            assertThat(pwned).as("the conf's command must not run").doesNotExist();
            String log = send(
                            port,
                            "GET",
                            "/dags/example_params/dagRuns/" + encode(runId) + "/taskInstances/prepare/logs/1",
                            "mallory",
                            PASSWORD,
                            null)
                    .body();
            assertThat(log).contains("preparing x; touch " + pwned + "; echo owned");
            assertThat(state).as(log).isEqualTo("success");

            HttpResponse<String> refused = send(
                    port,
                    "POST",
                    "/dags/example_params/dagRuns",
                    "mallory",
                    PASSWORD,
                    "{\"conf\": {\"limit\": \"1; touch " + pwned + "\"}}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("param 'limit'").contains("type");
            String runs = send(port, "GET", "/dags/example_params/dagRuns", "mallory", PASSWORD, null)
                    .body();
            assertThat(runs).contains("\"total_entries\":1");

            String warnings =
                    send(port, "GET", "/dagWarnings", "mallory", PASSWORD, null).body();
            assertThat(warnings)
                    .contains("\"dag_id\":\"careless\"")
                    .contains("\"warning_type\":\"unquoted shell interpolation\"")
                    .doesNotContain("example_params")
                    .contains("\"total_entries\":1");

            assertThat(gust.terminate(Duration.ofSeconds(60))).as(gust.output()).isZero();
        }
        assertThat(pwned).doesNotExist();

        GustProcess.Result cliTrigger = GustProcess.run(
                env, "dags", "trigger", "example_params", "--conf", "{\"regions\": [\"eu; touch " + pwned + "\"]}");
        assertThat(cliTrigger.exitCode()).as(cliTrigger.all()).isEqualTo(2);
        assertThat(cliTrigger.stderr()).contains("param 'regions'").contains("enum");

        GustProcess.Result listed = GustProcess.run(env, "dags", "list-import-errors", "--warnings");
        assertThat(listed.exitCode()).as(listed.all()).isZero();
        assertThat(listed.stdout())
                .contains("no import errors")
                .contains("DAG warnings (1;")
                .contains("careless")
                .contains("unquoted shell interpolation")
                .contains("{{ params.name }}");
    }

    private String waitForRunEnd(GustProcess gust, int port, String runId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        String state = "";
        while (Instant.now().isBefore(deadline)) {
            state = field(
                    send(port, "GET", "/dags/example_params/dagRuns/" + encode(runId), "mallory", PASSWORD, null)
                            .body(),
                    "state");
            if (state.equals("success") || state.equals("failed")) {
                return state;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the run did not end within 2 minutes (state " + state + "):\n" + gust.output());
    }

    private static String field(String json, String name) {
        Matcher matcher =
                Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        return matcher.group(1);
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(int port, String method, String path, String user, String password, String body)
            throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        } else {
            request.header("Accept", "application/json, text/plain");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void waitForHealth(GustProcess gust, int port) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!gust.process().isAlive()) {
                throw new AssertionError("gust standalone exited early:\n" + gust.output());
            }
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("gust standalone did not answer /health within 2 minutes:\n" + gust.output());
    }
}
