package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Database;
import dev.gust.core.store.DatabaseSettings;
import dev.gust.core.store.EmbeddedPostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Losing the database in the middle of a workload: a real PostgreSQL (zonky's binaries on a data
 * directory of the test's own) is stopped while a {@code gust scheduler} and a
 * {@code gust standalone} (scheduler and web server) run the {@link CrashWorkload}, and started
 * again on the same port. Neither process may exit; both health endpoints answer 503 while the
 * database is gone and 200 after; the work resumes by itself; and in the end every run finished,
 * every task instance succeeded once and no try executed twice.
 */
class DatabaseOutageIT {

    private static final String DAG_ID = "outage_workload";
    private static final int RUNS = 4;
    private static final Duration OUTAGE = Duration.ofSeconds(12);
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path home;

    @TempDir
    Path dags;

    @TempDir
    Path postgresParent;

    EmbeddedPostgresServer postgres;
    int postgresPort;
    Database database;
    CrashWorkload workload;
    Map<String, String> env;
    final List<GustProcess> processes = new ArrayList<>();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() throws Exception {
        postgresPort = GustProcess.freePort();
        postgres = EmbeddedPostgresServer.startOrAttach(postgresParent.resolve("data"), postgresPort);
        String url = postgres.jdbcUrlWithCredentials();
        database = Database.open(DatabaseSettings.forUrl(url, null, null));
        database.migrate();
        workload = new CrashWorkload(database.jdbc(), home, DAG_ID, RUNS, "database outage");
        workload.writeDag(dags, 4);
        env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", url);
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "false");
        env.put("GUST_SCHEDULER__HEARTBEAT_INTERVAL", "1s");
        env.put("GUST_SCHEDULER__CLUSTER_CHECKIN_INTERVAL", "1s");
        // Longer than the outage: tasks that ran through it are not zombies once it is over.
        env.put("GUST_SCHEDULER__ZOMBIE_THRESHOLD", "30s");
        // A stopped PostgreSQL refuses at once, so the outage is seen without a short timeout;
        // 2 s made every process's start-up probe fail on a loaded 2-core machine.
        env.put("GUST_DATABASE__CONNECT_TIMEOUT", "10s");
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        check(GustProcess.run(env, "dags", "reserialize"));
        check(GustProcess.run(env, "dags", "unpause", DAG_ID));
    }

    @AfterEach
    void tearDown() {
        processes.forEach(GustProcess::close);
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theSchedulerAndTheWebServerSurviveADatabaseRestartAndTheWorkFinishesExactlyOnce() throws Exception {
        GustProcess scheduler = start("scheduler");
        int webPort = GustProcess.freePort();
        GustProcess standalone = start("standalone", "--port", String.valueOf(webPort));
        workload.awaitOrFail(
                "both processes started",
                DEADLINE,
                () -> CrashWorkload.started(scheduler) && output(standalone).contains("gust: web UI at"),
                scheduler);
        for (int i = 1; i <= RUNS; i++) {
            check(GustProcess.run(env, "dags", "trigger", DAG_ID, "--logical-date", "2024-01-0" + i));
        }
        workload.awaitOrFail(
                "tasks run",
                DEADLINE,
                () -> workload.executions() >= 8
                        && workload.runningIn(scheduler.process().pid())
                                        + workload.runningIn(
                                                standalone.process().pid())
                                > 0,
                scheduler);
        URI schedulerHealth = healthUri(scheduler);
        URI standaloneSchedulerHealth = healthUri(standalone);
        URI webHealth = URI.create("http://localhost:" + webPort + "/health");
        awaitStatus(200, List.of(schedulerHealth, standaloneSchedulerHealth, webHealth), scheduler, standalone);

        postgres.close();
        Instant stoppedAt = Instant.now();
        System.out.printf("PostgreSQL stopped with %d executions recorded%n", countExecutionsFromFile());
        awaitStatus(503, List.of(schedulerHealth, standaloneSchedulerHealth, webHealth), scheduler, standalone);
        System.out.printf(
                "every /health answered 503 %d ms after the database stopped%n",
                Duration.between(stoppedAt, Instant.now()).toMillis());
        int executionsDuringOutage = countExecutionsFromFile();
        while (Duration.between(stoppedAt, Instant.now()).compareTo(OUTAGE) < 0) {
            assertAlive(scheduler, standalone);
            Thread.sleep(500);
        }
        assertAlive(scheduler, standalone);

        postgres = EmbeddedPostgresServer.startOrAttach(postgresParent.resolve("data"), postgresPort);
        assertThat(postgres.port()).as("the same port as before").isEqualTo(postgresPort);
        Instant restartedAt = Instant.now();
        awaitStatus(200, List.of(schedulerHealth, standaloneSchedulerHealth, webHealth), scheduler, standalone);
        System.out.printf(
                "every /health answered 200 %d ms after the database came back%n",
                Duration.between(restartedAt, Instant.now()).toMillis());
        int before = Math.max(executionsDuringOutage, countExecutionsFromFile());
        workload.awaitOrFail(
                "tasks start again after the database came back",
                DEADLINE,
                () -> countExecutionsFromFile() > before || workload.finishedRuns() == RUNS,
                scheduler);
        System.out.printf(
                "the first task started %d ms after the database came back%n",
                Duration.between(restartedAt, Instant.now()).toMillis());

        workload.awaitAllRunsFinished(DEADLINE, scheduler);
        assertAlive(scheduler, standalone);
        workload.assertDoneExactlyOnce();
    }

    private GustProcess start(String... args) throws Exception {
        GustProcess process = GustProcess.start(env, args);
        processes.add(process);
        return process;
    }

    /** The number of executions the tasks appended to their file, read without the database. */
    private int countExecutionsFromFile() {
        return workload.executionsInFile();
    }

    private URI healthUri(GustProcess process) throws Exception {
        java.util.OptionalInt port = process.healthPort();
        if (port.isEmpty()) {
            throw new AssertionError("no health port printed:\n" + output(process));
        }
        return URI.create("http://localhost:" + port.getAsInt() + "/health");
    }

    private void awaitStatus(int expected, List<URI> uris, GustProcess... live) throws Exception {
        Instant end = Instant.now().plus(DEADLINE);
        for (URI uri : uris) {
            int status;
            while ((status = status(uri)) != expected) {
                assertAlive(live);
                if (Instant.now().isAfter(end)) {
                    throw new AssertionError(uri + " answered " + status + ", not " + expected + ", for "
                            + DEADLINE.toSeconds() + "s\n" + output(live));
                }
                Thread.sleep(250);
            }
        }
    }

    private int status(URI uri) {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void assertAlive(GustProcess... processes) throws Exception {
        for (GustProcess process : processes) {
            if (!process.process().isAlive()) {
                throw new AssertionError(
                        "a gust process exited (code " + process.process().exitValue() + ")\n" + process.output());
            }
        }
    }

    private static String output(GustProcess... processes) {
        StringBuilder text = new StringBuilder();
        for (GustProcess process : processes) {
            try {
                text.append(process.output()).append('\n');
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return text.toString();
    }

    private static void check(GustProcess.Result result) {
        assertThat(result.exitCode()).as(result.all()).isZero();
    }
}
