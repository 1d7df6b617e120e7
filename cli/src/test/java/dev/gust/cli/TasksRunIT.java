package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.testing.TestDatabase;
import dev.gust.scheduler.loop.SchedulingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gust tasks run} as a real subprocess against a real PostgreSQL, as an ECS worker task
 * runs it: the queued try runs and is recorded (exit 0), a failing one exits non-zero, and running
 * the same try again runs nothing.
 */
class TasksRunIT {

    @TempDir
    Path home;

    @TempDir
    Path dags;

    TestDatabase db;
    Map<String, String> env;
    String runId;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        Files.writeString(dags.resolve("worker.yaml"), """
                worker:
                  schedule: null
                  tasks:
                    ok: {operator: bash, bash_command: 'echo hello from a worker process'}
                    broken: {operator: bash, bash_command: 'exit 5'}
                    slow: {operator: bash, bash_command: 'echo started slow; sleep 120'}
                    mapped: {operator: bash, expand: {bash_command: ['echo instance zero', 'echo instance one']}}
                """);
        env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", db.url());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        check(GustProcess.run(env, "dags", "reserialize"));
        check(GustProcess.run(env, "dags", "trigger", "worker", "--logical-date", "2024-01-01"));
        runId = db.jdbc()
                .queryOne(
                        "SELECT run_id FROM dag_run WHERE dag_id = 'worker'",
                        dev.gust.core.store.Params.none(),
                        row -> row.getString(1))
                .orElseThrow();
        // the scheduling loop queues the tasks (a first round expands the mapped task, a second
        // queues its instances); no executor runs them: the worker processes will
        SchedulingLoop loop = new SchedulingLoop(
                db.stores(),
                new DagDefinitions(new DagRepository(db.jdbc())),
                16,
                16,
                false,
                Clock.systemUTC(),
                new RunFilter("worker", runId));
        loop.runOnce();
        loop.runOnce();
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private static void check(GustProcess.Result result) {
        assertThat(result.exitCode()).as(result.all()).isZero();
    }

    @Test
    void aWorkerProcessRunsExactlyItsTryAndExitsWithItsOutcome() throws Exception {
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        TaskInstanceKey ok = TaskInstanceKey.of("worker", runId, "ok");
        assertThat(tis.find(ok).orElseThrow().state()).isEqualTo(TaskState.QUEUED);

        GustProcess.Result first = GustProcess.run(env, "tasks", "run", "worker", "ok", runId, "--try", "1");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.stdout()).contains("try 1: finished: success");
        assertThat(tis.find(ok).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
        assertThat(new TaskLogRepository(db.jdbc()).read(ok, 1)).contains("hello from a worker process");

        GustProcess.Result again = GustProcess.run(env, "tasks", "run", "worker", "ok", runId, "--try", "1");
        assertThat(again.exitCode()).as(again.all()).isEqualTo(3);
        assertThat(again.stdout()).contains("not started").contains("is success at try 1");

        GustProcess.Result broken = GustProcess.run(env, "tasks", "run", "worker", "broken", runId, "--try", "1");
        assertThat(broken.exitCode()).as(broken.all()).isEqualTo(1);
        assertThat(tis.find(TaskInstanceKey.of("worker", runId, "broken"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.FAILED);
    }

    @Test
    void aWorkerRunsTheMappedInstanceItsMapIndexNames() throws Exception {
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        TaskInstanceKey zero = new TaskInstanceKey("worker", runId, "mapped", 0);
        TaskInstanceKey one = new TaskInstanceKey("worker", runId, "mapped", 1);
        assertThat(tis.find(one).orElseThrow().state()).isEqualTo(TaskState.QUEUED);

        GustProcess.Result run =
                GustProcess.run(env, "tasks", "run", "worker", "mapped", runId, "--try", "1", "--map-index", "1");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(tis.find(one).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
        assertThat(new TaskLogRepository(db.jdbc()).read(one, 1)).contains("instance one");
        assertThat(tis.find(zero).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void sigtermFromEcsPutsTheTryBackForRetryWithoutCountingIt() throws Exception {
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        TaskInstanceKey slow = TaskInstanceKey.of("worker", runId, "slow");
        GustProcess worker = GustProcess.start(env, "tasks", "run", "worker", "slow", runId, "--try", "1");
        try {
            long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!new TaskLogRepository(db.jdbc()).read(slow, 1).contains("started slow")) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("the slow task did not start: " + worker.output());
                }
                Thread.sleep(200);
            }
            assertThat(tis.find(slow).orElseThrow().state()).isEqualTo(TaskState.RUNNING);

            int exit = worker.terminate(java.time.Duration.ofSeconds(30));

            assertThat(exit).as(worker.output()).isNotZero().isNotEqualTo(-1);
            var after = tis.find(slow).orElseThrow();
            assertThat(after.state()).isEqualTo(TaskState.UP_FOR_RETRY);
            assertThat(after.tryNumber()).as("the stopped try does not count").isZero();
            assertThat(new TaskLogRepository(db.jdbc()).read(slow, 1)).contains("goes back for retry");
        } finally {
            worker.close();
        }
    }
}
