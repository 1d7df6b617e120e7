package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.datasets.EventSource;
import dev.gust.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset-triggered runs survive a SIGKILL: two real {@code gust scheduler} processes turn a stream
 * of dataset updates into runs of two consumers while one of them is killed at a random moment and
 * a new one started; afterwards every update was consumed by exactly one run of each consumer and
 * nothing is left queued.
 */
class DatasetsCrashIT {

    private static final int UPDATES = 40;
    private static final List<String> CONSUMERS = List.of("on_x", "on_x_or_y");

    @TempDir
    Path home;

    @TempDir
    Path dags;

    TestDatabase db;
    Map<String, String> env;
    final List<GustProcess> processes = new ArrayList<>();
    final long seed = System.nanoTime();
    final Random random = new Random(seed);

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        Files.writeString(dags.resolve("consumers.yaml"), """
                on_x:
                  start_date: 2024-01-01
                  schedule: ['s3://crash/x']
                  tasks:
                    t: {operator: bash, bash_command: 'exit 0'}
                on_x_or_y:
                  start_date: 2024-01-01
                  schedule: {datasets: 's3://crash/x | s3://crash/y'}
                  tasks:
                    t: {operator: bash, bash_command: 'exit 0'}
                """);
        env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", db.url());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "false");
        byte[] key = new byte[32];
        random.nextBytes(key);
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
        System.out.println("DatasetsCrashIT seed " + seed);
        GustProcess.Result reserialized = GustProcess.run(env, "dags", "reserialize");
        assertThat(reserialized.exitCode()).as(reserialized.all()).isZero();
    }

    @AfterEach
    void tearDown() {
        processes.forEach(GustProcess::close);
        if (db != null) {
            db.close();
        }
    }

    @Test
    void eachUpdateIsConsumedOnceThoughASchedulerIsKilled() throws Exception {
        GustProcess first = startScheduler();
        GustProcess second = startScheduler();
        await("both schedulers started", () -> CrashWorkload.started(first) && CrashWorkload.started(second));
        DatasetRepository datasets = new DatasetRepository(db.jdbc());
        int killAt = 10 + random.nextInt(20);
        for (int u = 0; u < UPDATES; u++) {
            datasets.recordEvents(
                    List.of("s3://crash/x"), new EventSource("outside", "update_" + u, "t", -1), "{}", Instant.now());
            if (u == killAt) {
                GustProcess victim = random.nextBoolean() ? first : second;
                long pid = victim.kill9();
                System.out.printf("SIGKILL to scheduler %d after update %d%n", pid, u);
                startScheduler();
            }
            Thread.sleep(random.nextInt(60));
        }
        await(
                "every queued update consumed",
                () -> db.jdbc()
                                .queryOne(
                                        "SELECT count(*) FROM dataset_dag_run_queue", Params.none(), r -> r.getLong(1))
                                .orElseThrow()
                        == 0);

        for (String consumer : CONSUMERS) {
            List<String> consumed = db.jdbc().query("""
                            SELECT e.source_run_id FROM dagrun_dataset_event l
                              JOIN dag_run r ON r.id = l.dag_run_id JOIN dataset_event e ON e.id = l.event_id
                             WHERE r.dag_id = :dagId AND r.run_type = 'dataset_triggered'""", Params.of("dagId", consumer), r -> r.getString(1));
            assertThat(consumed)
                    .as("updates consumed by " + consumer + " (seed " + seed + ")")
                    .hasSize(UPDATES)
                    .doesNotHaveDuplicates();
            long runsWithoutEvents = db.jdbc()
                    .queryOne("""
                            SELECT count(*) FROM dag_run r WHERE r.dag_id = :dagId AND r.run_type = 'dataset_triggered'
                               AND NOT EXISTS (SELECT 1 FROM dagrun_dataset_event l WHERE l.dag_run_id = r.id)""", Params.of("dagId", consumer), r -> r.getLong(1))
                    .orElseThrow();
            assertThat(runsWithoutEvents)
                    .as("runs of " + consumer + " that consumed nothing")
                    .isZero();
        }
    }

    private GustProcess startScheduler() throws Exception {
        GustProcess scheduler = GustProcess.start(env, "scheduler");
        processes.add(scheduler);
        return scheduler;
    }

    private void await(String what, java.util.function.BooleanSupplier condition) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(90));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                StringBuilder output = new StringBuilder();
                for (GustProcess p : processes) {
                    output.append(p.output()).append('\n');
                }
                throw new AssertionError("gave up waiting for " + what + "\n" + output);
            }
            Thread.sleep(200);
        }
    }
}
