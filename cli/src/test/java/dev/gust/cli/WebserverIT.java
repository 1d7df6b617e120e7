package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gust webserver} as a container runs it: serves {@code /health} and the login page,
 * accepts a user made by {@code gust users create} (HTTP basic) and a token from {@code gust users
 * token}, and exits 0 on SIGTERM.
 */
class WebserverIT {

    @TempDir
    Path home;

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void servesHealthAndLoginAndStopsCleanlyOnSigterm() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        GustProcess.Result created = GustProcess.run(
                env, "users", "create", "--username", "ops", "--role", "viewer", "--password", "ops-password");
        assertThat(created.exitCode()).as(created.all()).isZero();
        GustProcess.Result token = GustProcess.run(env, "users", "token", "--username", "ops");
        assertThat(token.exitCode()).as(token.all()).isZero();

        int port = GustProcess.freePort();
        try (GustProcess gust =
                GustProcess.start(env, "webserver", "--port", String.valueOf(port), "--host", "127.0.0.1")) {
            HttpResponse<String> health = waitForHealth(gust, port);
            assertThat(health.statusCode()).as(gust.output()).isEqualTo(200);
            assertThat(health.body()).contains("\"metadatabase\":{\"status\":\"healthy\"}");
            assertThat(gust.stdout()).contains("gust: web server at http://localhost:" + port);

            HttpResponse<String> login = get(port, "/login", null);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("id=\"login-submit\"");
            assertThat(get(port, "/", null).statusCode()).isEqualTo(302);
            String basic =
                    "Basic " + Base64.getEncoder().encodeToString("ops:ops-password".getBytes(StandardCharsets.UTF_8));
            assertThat(get(port, "/", basic).statusCode()).isEqualTo(200);
            assertThat(get(port, "/", "Bearer " + token.stdout().strip()).statusCode())
                    .isEqualTo(200);
            assertThat(get(port, "/", "Bearer gust_wrong").statusCode()).isEqualTo(401);

            assertThat(gust.terminate(Duration.ofSeconds(60))).as(gust.output()).isZero();
            assertThat(gust.stderr()).contains("gust: stopped cleanly");
        }
    }

    @Test
    void keepsServingAndAnswers503WhileTheDatabaseIsAway() throws Exception {
        // A database server of its own, so that the test can stop it under the running webserver.
        try (var postgres =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
            Map<String, String> env = GustProcess.isolatedEnvironment(home);
            env.put("GUST_DATABASE__URL", postgres.getJdbcUrl("postgres", "postgres"));
            env.put("GUST_DATABASE__CONNECT_TIMEOUT", "2s");
            env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            GustProcess.Result migrated = GustProcess.run(env, "db", "migrate");
            assertThat(migrated.exitCode()).as(migrated.all()).isZero();

            int port = GustProcess.freePort();
            try (GustProcess gust = GustProcess.start(env, "webserver", "--port", String.valueOf(port))) {
                assertThat(waitForHealth(gust, port).statusCode())
                        .as(gust.output())
                        .isEqualTo(200);
                postgres.close();
                int status = 0;
                Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
                while (Instant.now().isBefore(deadline)
                        && (status = get(port, "/health", null).statusCode()) != 503) {
                    Thread.sleep(500);
                }
                assertThat(status).as(gust.output()).isEqualTo(503);
                assertThat(get(port, "/login", null).statusCode())
                        .as("pages that need no database still answer")
                        .isEqualTo(200);
                assertThat(gust.process().isAlive()).isTrue();
                assertThat(gust.terminate(Duration.ofSeconds(60)))
                        .as(gust.output())
                        .isZero();
            }
        }
    }

    private HttpResponse<String> waitForHealth(GustProcess gust, int port) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (!gust.process().isAlive()) {
                throw new AssertionError("gust webserver exited early:\n" + gust.output());
            }
            try {
                return get(port, "/health", null);
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("gust webserver did not answer /health within 2 minutes:\n" + gust.output());
    }

    private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
