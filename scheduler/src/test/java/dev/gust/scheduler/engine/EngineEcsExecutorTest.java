package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.scheduler.aws.MotoEcs;
import dev.gust.scheduler.executor.WorkerTaskRun;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The ECS executor inside a whole scheduler engine, against moto_server and a real PostgreSQL.
 * moto runs no containers, so the test plays ECS's side: a "fake agent" thread watches for
 * RUNNING tasks, runs the try their command override names through the same code path as
 * {@code gust tasks run} ({@link WorkerTaskRun}), then stops the moto task. Bash and Python tasks
 * alike: a Python task is served its Variables and XComs by the worker that runs it.
 */
class EngineEcsExecutorTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static MotoEcs moto;

    EngineHarness harness;
    final AtomicBoolean workerEnabled = new AtomicBoolean(true);
    FakeEcsAgent agent;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoEcs.start();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private void harness(String taskDefinition, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(moto.executorSettings(taskDefinition));
        settings.put("GUST_ECS__LAUNCH_RETRIES", "2");
        settings.putAll(more);
        harness = EngineHarness.create(settings);
    }

    private void startFakeAgent(String dagId) {
        agent = FakeEcsAgent.start(moto, harness, dagId, workerEnabled::get);
    }

    private List<Task> ecsTasksOf(TaskInstanceKey key, int tryNumber) {
        return moto.tasksStartedBy(dev.gust.scheduler.executor.EcsExecutorTestAccess.startedBy(key, tryNumber));
    }

    private TaskInstance awaitLaunched(DagRun run, String taskId) throws InterruptedException {
        return harness.awaitTask(
                run, taskId, DEADLINE, taskId + " launched on ECS", ti -> ti.externalExecutorId() != null);
    }

    /** Waits for try 1's ECS task to be stopped (moto keeps listing it). */
    private Task awaitEcsTaskStopped(String what, TaskInstanceKey key) throws InterruptedException {
        return EngineHarness.await(
                DEADLINE, what, () -> ecsTasksOf(key, 1).getFirst(), t -> "STOPPED".equals(t.lastStatus()));
    }

    @Test
    void eachInstanceOfAMappedTaskRunsAsItsOwnEcsTask() throws Exception {
        harness(MotoEcs.WORKER_FAMILY, Map.of());
        harness.dag("ecs_mapped.yaml", """
                ecs_mapped:
                  schedule: null
                  tasks:
                    each:
                      operator: bash
                      expand: {bash_command: ["echo first on a worker", "echo second on a worker"]}
                """);
        startFakeAgent("ecs_mapped");
        harness.startEngine();
        DagRun run = harness.trigger("ecs_mapped");

        assertThat(harness.awaitFinished(run, DEADLINE).state()).isEqualTo(DagRunState.SUCCESS);
        List<String> startedBy = new java.util.ArrayList<>();
        for (int index = 0; index < 2; index++) {
            TaskInstanceKey key = new TaskInstanceKey("ecs_mapped", run.runId(), "each", index);
            List<Task> tasks = ecsTasksOf(key, 1);
            assertThat(tasks).as("one ECS task for instance %d", index).hasSize(1);
            assertThat(tasks.getFirst()
                            .overrides()
                            .containerOverrides()
                            .getFirst()
                            .command())
                    .containsExactly(
                            "tasks",
                            "run",
                            "ecs_mapped",
                            "each",
                            run.runId(),
                            "--try",
                            "1",
                            "--map-index",
                            String.valueOf(index));
            startedBy.add(tasks.getFirst().startedBy());
            assertThat(harness.stores().taskLogs().read(key, 1))
                    .contains((index == 0 ? "first" : "second") + " on a worker");
        }
        assertThat(startedBy).doesNotHaveDuplicates();
    }

    @Test
    void aDagWhoseTasksRunOnEcsReachesSuccess() throws Exception {
        // one ARN per DescribeTasks: the batching loop runs more than once
        harness(MotoEcs.WORKER_FAMILY, Map.of("GUST_ECS__MAX_TASKS_PER_DESCRIBE", "1"));
        harness.dag("ecs_ok.yaml", """
                ecs_ok:
                  schedule: null
                  tasks:
                    side: {operator: bash, bash_command: 'echo side'}
                    extract:
                      operator: bash
                      bash_command: 'echo extracting on a worker'
                      executor_config: {cpu: 512, memory: 1024, env: {GREETING: hello}}
                    load: {operator: bash, bash_command: 'echo loading', dependencies: [extract]}
                """);
        startFakeAgent("ecs_ok");
        harness.startEngine();
        DagRun run = harness.trigger("ecs_ok");

        DagRun done = harness.awaitFinished(run, DEADLINE);

        assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.states(run))
                .containsEntry("extract", TaskState.SUCCESS)
                .containsEntry("load", TaskState.SUCCESS)
                .containsEntry("side", TaskState.SUCCESS);
        for (String taskId : List.of("side", "extract", "load")) {
            TaskInstance ti = harness.ti(run, taskId);
            List<Task> tasks = ecsTasksOf(ti.key(), 1);
            assertThat(tasks).as("one ECS task for %s try 1", taskId).hasSize(1);
            assertThat(ti.externalExecutorId()).isEqualTo(tasks.getFirst().taskArn());
            assertThat(tasks.getFirst()
                            .overrides()
                            .containerOverrides()
                            .getFirst()
                            .command())
                    .containsExactly("tasks", "run", "ecs_ok", taskId, run.runId(), "--try", "1");
            assertThat(harness.log(run, taskId, 1))
                    .contains("Launched ECS task " + ti.externalExecutorId())
                    .contains("Marking task as SUCCESS");
        }
        assertThat(harness.log(run, "extract", 1)).contains("extracting on a worker");
        String executor = harness.db()
                .jdbc()
                .queryOne(
                        "SELECT executor FROM task_instance WHERE dag_id = 'ecs_ok' AND task_id = 'load'",
                        Params.none(),
                        row -> row.getString(1))
                .orElseThrow();
        assertThat(executor).isEqualTo("ecs");
        Task extract = ecsTasksOf(harness.ti(run, "extract").key(), 1).getFirst();
        assertThat(extract.overrides().cpu()).isEqualTo("512");
        assertThat(extract.overrides().memory()).isEqualTo("1024");
        assertThat(extract.overrides().containerOverrides().getFirst().environment())
                .anySatisfy(kv -> assertThat(kv.name() + "=" + kv.value()).isEqualTo("GREETING=hello"));
    }

    @Test
    void aPythonTaskRunsOnAnEcsWorkerWhichServesItsVariablesAndXcoms() throws Exception {
        harness(MotoEcs.WORKER_FAMILY, Map.of());
        java.nio.file.Files.writeString(harness.dir().resolve("dags/ecs_callables.py"), """
                from airflow.models import Variable


                def produce():
                    print("producing on an ECS worker")
                    return {"rows": 3}


                def consume(ti=None):
                    rows = ti.xcom_pull(task_ids="produce")["rows"]
                    return "%d rows for %s" % (rows, Variable.get("team"))
                """);
        harness.dag("ecs_py.yaml", """
                ecs_py:
                  schedule: null
                  tasks:
                    produce: {operator: python, python_callable: ecs_callables.produce}
                    consume:
                      operator: python
                      python_callable: ecs_callables.consume
                      dependencies: [produce]
                """);
        harness.stores().variables().set("team", "data", null);
        startFakeAgent("ecs_py");
        harness.startEngine();
        DagRun run = harness.trigger("ecs_py");

        assertThat(harness.awaitFinished(run, DEADLINE).state()).isEqualTo(DagRunState.SUCCESS);
        for (String taskId : List.of("produce", "consume")) {
            TaskInstance ti = harness.ti(run, taskId);
            assertThat(ecsTasksOf(ti.key(), 1))
                    .as("one ECS task for %s", taskId)
                    .hasSize(1);
            assertThat(harness.log(run, taskId, 1)).contains("Launched ECS task " + ti.externalExecutorId());
        }
        assertThat(harness.log(run, "produce", 1)).contains("producing on an ECS worker");
        assertThat(harness.stores().xcoms().pull("ecs_py", run.runId(), "consume", "return_value"))
                .contains("\"3 rows for data\"");
    }

    @Test
    void aLaunchFailureIsRetriedThenFailsTheTryWithTheReason() throws Exception {
        harness("gust-test-no-such-family", Map.of());
        harness.dag("ecs_unlaunchable.yaml", """
                ecs_unlaunchable:
                  schedule: null
                  tasks:
                    never: {operator: bash, bash_command: 'echo never runs'}
                """);
        harness.startEngine();
        DagRun run = harness.trigger("ecs_unlaunchable");

        TaskInstance ti =
                harness.awaitTask(run, "never", DEADLINE, "the task to fail", t -> t.state() == TaskState.FAILED);

        assertThat(ti.externalExecutorId()).isNull();
        String log = harness.log(run, "never", 1);
        assertThat(log)
                .contains("Launch attempt 1 of 3 failed: RunTask failed:")
                .contains("Launch attempt 2 of 3 failed")
                .contains("could not launch the ECS task after 3 attempts")
                .contains("Marking task as FAILED");
        assertThat(ecsTasksOf(ti.key(), 1)).isEmpty();
    }

    @Test
    void aRestartedSchedulerAdoptsRunningEcsTasksAndLaunchesNoneTwice() throws Exception {
        harness(MotoEcs.WORKER_FAMILY, Map.of());
        harness.dag("ecs_adopt.yaml", """
                ecs_adopt:
                  schedule: null
                  tasks:
                    a: {operator: bash, bash_command: 'echo a'}
                    b: {operator: bash, bash_command: 'echo b'}
                """);
        workerEnabled.set(false);
        startFakeAgent("ecs_adopt");
        SchedulerEngine first = harness.startEngine();
        DagRun run = harness.trigger("ecs_adopt");
        awaitLaunched(run, "a");
        awaitLaunched(run, "b");
        // the first scheduler goes away with both ECS tasks still running (containers starting)
        first.close();

        harness.startEngine();
        EngineHarness.await(
                DEADLINE,
                "the new scheduler to adopt both",
                () -> harness.log(run, "a", 1) + harness.log(run, "b", 1),
                log -> log.split("adopted ECS task", -1).length == 3);
        workerEnabled.set(true);
        DagRun done = harness.awaitFinished(run, DEADLINE);

        assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
        for (String taskId : List.of("a", "b")) {
            TaskInstance ti = harness.ti(run, taskId);
            assertThat(ti.tryNumber()).isEqualTo(1);
            assertThat(ecsTasksOf(ti.key(), 1))
                    .as("ECS tasks of %s try 1", taskId)
                    .hasSize(1);
            assertThat(ecsTasksOf(ti.key(), 2)).isEmpty();
        }
    }

    @Test
    void aTaskMarkedElsewhereHasItsEcsTaskStoppedAndOneThatDiesIsFailedWithTheReason() throws Exception {
        harness(MotoEcs.WORKER_FAMILY, Map.of());
        harness.dag("ecs_stop.yaml", """
                ecs_stop:
                  schedule: null
                  tasks:
                    marked: {operator: bash, bash_command: 'echo marked'}
                    dies: {operator: bash, bash_command: 'echo dies'}
                """);
        workerEnabled.set(false);
        harness.startEngine();
        DagRun run = harness.trigger("ecs_stop");
        TaskInstance marked = awaitLaunched(run, "marked");
        TaskInstance dies = awaitLaunched(run, "dies");

        // what the UI's "mark failed" does: a conditional transition from running, by try
        assertThat(new TaskInstanceRepository(harness.db().jdbc())
                        .markByUser(marked.currentTry(), TaskState.RUNNING, TaskState.FAILED))
                .isTrue();
        // and ECS kills the other one before its worker records anything (out of memory, say)
        moto.ecs()
                .stopTask(b -> b.cluster(MotoEcs.CLUSTER)
                        .task(dies.externalExecutorId())
                        .reason("OutOfMemoryError: container killed"));

        Task stopped = awaitEcsTaskStopped("the marked task's ECS task to be stopped", marked.key());
        assertThat(stopped.stoppedReason()).startsWith("Gust: task instance").contains("is failed");

        TaskInstance failed = EngineHarness.await(
                DEADLINE,
                "the dead task's try to fail",
                () -> harness.ti(run, "dies"),
                t -> t.state() == TaskState.FAILED);
        assertThat(failed.tryNumber()).isEqualTo(1);
        assertThat(harness.log(run, "dies", 1))
                .contains("stopped before its worker recorded an outcome")
                .contains("OutOfMemoryError: container killed");
    }

    @Test
    void clearingARunningTaskStopsItsEcsTaskThenRunsItAgainAsANewTask() throws Exception {
        harness(MotoEcs.WORKER_FAMILY, Map.of());
        harness.dag("ecs_clear.yaml", """
                ecs_clear:
                  schedule: null
                  tasks:
                    cleared: {operator: bash, bash_command: 'echo try {{ ti.try_number }}'}
                """);
        // ECS has started the task but its container never gets to record anything: only
        // Gust's StopTask can end it
        workerEnabled.set(false);
        startFakeAgent("ecs_clear");
        harness.startEngine();
        DagRun run = harness.trigger("ecs_clear");
        TaskInstance first = awaitLaunched(run, "cleared");

        var jdbc = harness.db().jdbc();
        DagDefinitions definitions = new DagDefinitions(new DagRepository(jdbc));
        var result = new dev.gust.core.runs.TaskInstanceClearing(
                        new DagRunRepository(jdbc), new TaskInstanceRepository(jdbc))
                .clear(
                        definitions.get("ecs_clear").orElseThrow().dag(),
                        new dev.gust.core.runs.TaskInstanceClearing.Request(
                                "ecs_clear",
                                run.runId(),
                                dev.gust.core.runs.TaskSelection.of(List.of("cleared"), false, false),
                                false,
                                null,
                                null,
                                false));
        assertThat(result.taskInstances()).hasSize(1);
        assertThat(harness.ti(run, "cleared").state()).isEqualTo(TaskState.RESTARTING);

        Task stopped = awaitEcsTaskStopped("the cleared try's ECS task to be stopped", first.key());
        assertThat(stopped.taskArn()).isEqualTo(first.externalExecutorId());
        assertThat(stopped.stoppedReason()).startsWith("Gust: task instance").contains("try 1 is restarting");
        TaskInstance second = EngineHarness.await(
                DEADLINE,
                "try 2 to be launched",
                () -> harness.ti(run, "cleared"),
                t -> t.tryNumber() == 2 && t.externalExecutorId() != null);
        assertThat(second.externalExecutorId()).isNotEqualTo(first.externalExecutorId());

        workerEnabled.set(true);
        DagRun done = harness.awaitFinished(run, DEADLINE);
        assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.ti(run, "cleared").tryNumber()).isEqualTo(2);
        assertThat(ecsTasksOf(first.key(), 1)).as("ECS tasks of try 1").hasSize(1);
        assertThat(ecsTasksOf(first.key(), 2)).as("ECS tasks of try 2").hasSize(1);
        assertThat(harness.log(run, "cleared", 1))
                .contains("of this cleared try has stopped")
                .contains("will be scheduled again");
        assertThat(harness.log(run, "cleared", 2)).contains("try 2").contains("Marking task as SUCCESS");
    }

    @Test
    void aStartedWorkerThatStopsHeartbeatingIsAZombieAndItsEcsTaskIsStopped() throws Exception {
        harness(MotoEcs.WORKER_FAMILY, Map.of("GUST_SCHEDULER__ZOMBIE_THRESHOLD", "2s"));
        harness.dag("ecs_wedged.yaml", """
                ecs_wedged:
                  schedule: null
                  tasks:
                    wedged: {operator: bash, bash_command: 'echo never finishes'}
                """);
        workerEnabled.set(false);
        harness.startEngine();
        DagRun run = harness.trigger("ecs_wedged");
        TaskInstance launched = awaitLaunched(run, "wedged");
        // a worker started the try and then hung: its container lives on, its heartbeats stop
        assertThat(new TaskInstanceRepository(harness.db().jdbc())
                        .startOnWorker(launched.key(), 1, "ip-10-0-1-9", 4242))
                .isPresent();

        TaskInstance zombie = EngineHarness.await(
                DEADLINE,
                "the hung try to be declared a zombie",
                () -> harness.ti(run, "wedged"),
                t -> t.state() == TaskState.FAILED);
        assertThat(harness.log(run, "wedged", 1))
                .contains("Detected as a zombie")
                .contains("ip-10-0-1-9");
        Task stopped = awaitEcsTaskStopped("its ECS task to be stopped", zombie.key());
        assertThat(stopped.stoppedReason()).startsWith("Gust: task instance").contains("is failed");
    }

    @Test
    void triesADeadSchedulerClaimedWithoutStoringAnArnAreFoundByStartedByOrLaunchedOnce() throws Exception {
        harness(MotoEcs.WORKER_FAMILY, Map.of());
        harness.dag("ecs_orphans.yaml", """
                ecs_orphans:
                  schedule: null
                  tasks:
                    launched: {operator: bash, bash_command: 'echo launched by the dead one'}
                    unlaunched: {operator: bash, bash_command: 'echo launched by the new one'}
                """);
        DagRun run = harness.trigger("ecs_orphans");
        var jdbc = harness.db().jdbc();
        var filter = new dev.gust.core.store.runs.RunFilter(run.dagId(), run.runId());
        new dev.gust.scheduler.loop.SchedulingLoop(
                        harness.stores(),
                        new DagDefinitions(new DagRepository(jdbc)),
                        16,
                        16,
                        false,
                        Clock.systemUTC(),
                        filter)
                .runOnce();
        // a scheduler claimed both, launched one, and died before storing its ARN
        var jobs = new dev.gust.core.store.jobs.JobRepository(jdbc);
        long dead = jobs.register(dev.gust.core.store.jobs.JobRepository.SCHEDULER, "dead-host", 4242);
        var tis = new TaskInstanceRepository(jdbc);
        assertThat(tis.claimQueued(10, "dead-host", null, dead, filter, "ecs")).hasSize(2);
        TaskInstanceKey launchedKey = TaskInstanceKey.of(run.dagId(), run.runId(), "launched");
        String launchedArn = moto.ecs()
                .runTask(b -> b.cluster(MotoEcs.CLUSTER)
                        .taskDefinition(MotoEcs.WORKER_FAMILY)
                        .launchType("FARGATE")
                        .startedBy(dev.gust.scheduler.executor.EcsExecutorTestAccess.startedBy(launchedKey, 1))
                        .networkConfiguration(n -> n.awsvpcConfiguration(
                                v -> v.subnets(moto.subnetId()).securityGroups(moto.securityGroupId())))
                        .overrides(o -> o.containerOverrides(c -> c.name("worker")
                                .command("tasks", "run", run.dagId(), "launched", run.runId(), "--try", "1"))))
                .tasks()
                .getFirst()
                .taskArn();
        jobs.end(dead, "failed");

        workerEnabled.set(false);
        startFakeAgent("ecs_orphans");
        harness.startEngine();
        assertThat(awaitLaunched(run, "launched").externalExecutorId()).isEqualTo(launchedArn);
        awaitLaunched(run, "unlaunched");
        workerEnabled.set(true);
        DagRun done = harness.awaitFinished(run, DEADLINE);

        assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.ti(run, "launched").externalExecutorId()).isEqualTo(launchedArn);
        for (String taskId : List.of("launched", "unlaunched")) {
            TaskInstance ti = harness.ti(run, taskId);
            assertThat(ti.tryNumber()).isEqualTo(1);
            assertThat(ecsTasksOf(ti.key(), 1))
                    .as("ECS tasks of %s try 1", taskId)
                    .hasSize(1);
        }
        assertThat(harness.log(run, "unlaunched", 1)).contains("before it launched an ECS task; launching it now");
    }
}
