package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.datasets.EventSource;
import dev.gust.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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

    SchedulerCluster cluster;
    TestDatabase db;
    final long seed = System.nanoTime();
    final Random random = new Random(seed);

    @BeforeEach
    void setUp() throws Exception {
        cluster = SchedulerCluster.create(home, dags, random);
        db = cluster.db();
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
        System.out.println("DatasetsCrashIT seed " + seed);
        cluster.reserialize();
    }

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachUpdateIsConsumedOnceThoughASchedulerIsKilled() throws Exception {
        GustProcess first = cluster.startScheduler();
        GustProcess second = cluster.startScheduler();
        cluster.await("both schedulers started", () -> CrashWorkload.started(first) && CrashWorkload.started(second));
        DatasetRepository datasets = new DatasetRepository(db.jdbc());
        int killAt = 10 + random.nextInt(20);
        for (int u = 0; u < UPDATES; u++) {
            datasets.recordEvents(
                    List.of("s3://crash/x"), new EventSource("outside", "update_" + u, "t", -1), "{}", Instant.now());
            if (u == killAt) {
                GustProcess victim = random.nextBoolean() ? first : second;
                long pid = victim.kill9();
                System.out.printf("SIGKILL to scheduler %d after update %d%n", pid, u);
                cluster.startScheduler();
            }
            Thread.sleep(random.nextInt(60));
        }
        cluster.await(
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
}
