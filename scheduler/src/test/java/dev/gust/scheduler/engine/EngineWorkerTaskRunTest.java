package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.scheduler.executor.WorkerTaskRun;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code gust tasks run}'s worker side on a real PostgreSQL: it runs exactly the try it was started
 * for, records the outcome and log through the state machine, and runs nothing when the row is not
 * waiting for that try (a second worker, a stale try number, a row an ECS executor launched that a
 * worker already took).
 */
class EngineWorkerTaskRunTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    TaskInstanceRepository taskInstances;
    String runId;

    @BeforeEach
    void setUp() {
        harness.dag("worker.yaml", """
                worker:
                  schedule: null
                  tasks:
                    ok: {operator: bash, bash_command: 'echo hello from the worker'}
                    broken: {operator: bash, bash_command: 'echo about to fail; exit 4'}
                """);
        var jdbc = harness.db().jdbc();
        taskInstances = new TaskInstanceRepository(jdbc);
        runId = new DagRunCreator(
                        new DagRunRepository(jdbc),
                        new DagDefinitions(new DagRepository(jdbc)),
                        false,
                        Clock.systemUTC())
                .trigger("worker", Map.of(), Instant.parse("2024-01-01T00:00:00Z"), "test");
        // the real scheduling loop queues both (no dependencies); no executor claims them
        new dev.gust.scheduler.loop.SchedulingLoop(
                        harness.stores(),
                        new DagDefinitions(new DagRepository(jdbc)),
                        16,
                        16,
                        false,
                        Clock.systemUTC(),
                        new dev.gust.core.store.runs.RunFilter("worker", runId))
                .runOnce();
        assertThat(taskInstances.find(key("ok")).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(taskInstances.find(key("broken")).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }

    private TaskInstanceKey key(String taskId) {
        return TaskInstanceKey.of("worker", runId, taskId);
    }

    private WorkerTaskRun worker() {
        return new WorkerTaskRun(harness.config(), harness.db().database());
    }

    @Test
    void aPythonTaskRunsInTheWorkerWhichServesItsVariables() throws java.io.IOException {
        java.nio.file.Files.writeString(
                harness.dir().resolve("dags/worker_callables.py"),
                "from airflow.models import Variable\n\n"
                        + "def hello():\n"
                        + "    print('python in the worker')\n"
                        + "    return 'hi ' + Variable.get('who', default_var='nobody')\n");
        harness.dag("worker_py.yaml", """
                worker_py:
                  schedule: null
                  tasks:
                    py: {operator: python, python_callable: worker_callables.hello}
                """);
        harness.stores().variables().set("who", "worker", null);
        var jdbc = harness.db().jdbc();
        String pyRun = new DagRunCreator(
                        new DagRunRepository(jdbc),
                        new DagDefinitions(new DagRepository(jdbc)),
                        false,
                        Clock.systemUTC())
                .trigger("worker_py", Map.of(), Instant.parse("2024-01-01T00:00:00Z"), "test");
        new dev.gust.scheduler.loop.SchedulingLoop(
                        harness.stores(),
                        new DagDefinitions(new DagRepository(jdbc)),
                        16,
                        16,
                        false,
                        Clock.systemUTC(),
                        new dev.gust.core.store.runs.RunFilter("worker_py", pyRun))
                .runOnce();
        TaskInstanceKey py = TaskInstanceKey.of("worker_py", pyRun, "py");

        WorkerTaskRun.Result result = worker().run(py, 1);

        assertThat(result).isEqualTo(new WorkerTaskRun.Finished(TaskState.SUCCESS));
        assertThat(harness.stores().xcoms().pull("worker_py", pyRun, "py", "return_value"))
                .contains("\"hi worker\"");
        assertThat(new TaskLogRepository(jdbc).read(py, 1)).contains("python in the worker");
    }

    @Test
    void aQueuedTryRunsOnceAndRecordsItsOutcomeAndLog() {
        WorkerTaskRun.Result result = worker().run(key("ok"), 1);

        assertThat(result).isEqualTo(new WorkerTaskRun.Finished(TaskState.SUCCESS));
        assertThat(result.exitCode()).isZero();
        var ti = taskInstances.find(key("ok")).orElseThrow();
        assertThat(ti.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(ti.tryNumber()).isEqualTo(1);
        assertThat(new TaskLogRepository(harness.db().jdbc()).read(key("ok"), 1))
                .contains("hello from the worker")
                .contains("Marking task as SUCCESS");

        WorkerTaskRun.Result again = worker().run(key("ok"), 1);
        assertThat(again).isInstanceOf(WorkerTaskRun.NotStarted.class);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.describe()).contains("is success at try 1");
    }

    @Test
    void aFailingTryExitsNonZeroAndIsFailed() {
        WorkerTaskRun.Result result = worker().run(key("broken"), 1);

        assertThat(result).isEqualTo(new WorkerTaskRun.Finished(TaskState.FAILED));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(new TaskLogRepository(harness.db().jdbc()).read(key("broken"), 1))
                .contains("about to fail")
                .contains("Marking task as FAILED");
    }

    @Test
    void aWrongTryNumberRunsNothing() {
        WorkerTaskRun.Result result = worker().run(key("ok"), 2);

        assertThat(result).isInstanceOf(WorkerTaskRun.NotStarted.class);
        var ti = taskInstances.find(key("ok")).orElseThrow();
        assertThat(ti.state()).isEqualTo(TaskState.QUEUED);
        assertThat(ti.tryNumber()).isZero();
    }

    @Test
    void aTryLaunchedByTheEcsExecutorIsTakenByExactlyOneWorker() {
        // What the ECS executor leaves: claimed (running, try 1), no worker pid, the ECS task's ARN.
        var claimed = taskInstances.claimQueued(10, "scheduler-host", null, 0L, null, "ecs");
        assertThat(claimed).hasSize(2);
        assertThat(taskInstances.recordExternalExecutorId(key("ok"), 1, "arn:aws:ecs:task/1"))
                .isTrue();

        assertThat(worker().run(key("ok"), 1)).isEqualTo(new WorkerTaskRun.Finished(TaskState.SUCCESS));
        // a second ECS task for the same try (a duplicate launch) runs nothing
        assertThat(worker().run(key("ok"), 1)).isInstanceOf(WorkerTaskRun.NotStarted.class);
        // a worker for a launched try that a worker has already taken (pid set) runs nothing either
        taskInstances.startOnWorker(key("broken"), 1, "other-worker", 4242).orElseThrow();
        assertThat(worker().run(key("broken"), 1)).isInstanceOf(WorkerTaskRun.NotStarted.class);
        assertThat(taskInstances.find(key("broken")).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    }
}
