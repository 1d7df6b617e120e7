package dev.gust.cli.startup;

import dev.gust.cli.GustCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The start-up cache's training run (see {@link StartupCacheTraining}, which starts it in a JVM
 * that records what it loads): the commands whose start-up the cache is for, as a user runs
 * them, in one process. {@code gust --version}, {@code gust dags list} (local and from the
 * database), then a scheduler and a web server side by side until both {@code /health} endpoints
 * answer 200, then exit. The database, ports and DAG folder come from the environment.
 */
public final class TrainingWorkload {

    /** One small DAG, paused at creation like every new DAG, so that the training runs no task. */
    static final String DAG_YAML = """
            training:
              schedule: "@daily"
              tags: [training]
              default_args:
                start_date: 2024-01-01
              tasks:
                first:
                  operator: bash
                  bash_command: "echo hello"
                second:
                  operator: empty
                  dependencies: [first]
            """;

    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private TrainingWorkload() {}

    public static void main(String[] args) throws Exception {
        run("--version");
        run("--help");
        run("dags", "list", "--local");
        run("dags", "list");
        run("config", "list");
        Thread scheduler =
                Thread.ofPlatform().daemon().name("training-scheduler").start(() -> run("scheduler"));
        Thread webserver =
                Thread.ofPlatform().daemon().name("training-webserver").start(() -> run("webserver"));
        String schedulerPort = System.getenv("GUST_SCHEDULER__HEALTH_PORT");
        String webserverPort = System.getenv("GUST_WEBSERVER__PORT");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean ready = awaitHealthy(http, "http://127.0.0.1:" + schedulerPort + "/health", scheduler)
                && awaitHealthy(http, "http://127.0.0.1:" + webserverPort + "/health", webserver);
        if (ready) {
            // what a first visitor and an API client load: the login page and an API refusal
            get(http, "http://127.0.0.1:" + webserverPort + "/login");
            get(http, "http://127.0.0.1:" + webserverPort + "/api/v1/dags");
        }
        System.out.println(ready ? "training: done" : "training: a server did not become healthy");
        System.out.flush();
        // exits with the servers running: the JVM writes the cache on its way out
        System.exit(ready ? 0 : 1);
    }

    private static void run(String... args) {
        System.out.println("training: gust " + String.join(" ", args));
        int exit = GustCommand.execute(args);
        if (exit != 0) {
            System.out.println("training: gust " + String.join(" ", args) + " exited " + exit);
        }
    }

    private static boolean awaitHealthy(HttpClient http, String url, Thread server) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline) && server.isAlive()) {
            if (get(http, url) == 200) {
                return true;
            }
            Thread.sleep(50);
        }
        System.out.println("training: " + url + " did not answer 200");
        return false;
    }

    private static int get(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
