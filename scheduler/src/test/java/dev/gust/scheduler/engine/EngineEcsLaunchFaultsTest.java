package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.scheduler.aws.AwsFaultProxy;
import dev.gust.scheduler.aws.AwsFaultProxy.Fault;
import dev.gust.scheduler.aws.MotoEcs;
import dev.gust.scheduler.executor.EcsExecutorTestAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The ECS executor's launch retries inside a whole scheduler engine, against the failures a real
 * ECS gives under load and moto never does: capacity failures (RunTask answering 200 with
 * {@code failures}) and throttling. The engine's ECS client talks to an {@link AwsFaultProxy} in
 * front of moto_server, which answers RunTask with the scripted faults and then lets moto answer;
 * the test's own client ({@link MotoEcs#ecs()}) talks to moto directly. As in
 * {@code EngineEcsExecutorTest}, a fake agent plays the ECS container of each RUNNING moto task.
 */
class EngineEcsLaunchFaultsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static MotoEcs moto;

    AwsFaultProxy proxy;
    EngineHarness harness;
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

    @BeforeEach
    void startProxy() throws Exception {
        proxy = AwsFaultProxy.start(moto.endpoint());
        // the engine builds its ECS client from the SDK's standard configuration when it starts
        System.setProperty("aws.endpointUrl", proxy.endpoint().toString());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            System.setProperty("aws.endpointUrl", moto.endpoint().toString());
            proxy.close();
        }
    }

    private void harness(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(moto.executorSettings(MotoEcs.WORKER_FAMILY));
        settings.putAll(more);
        harness = EngineHarness.create(settings);
    }

    /**
     * How many HTTP requests one throttled RunTask of the engine's client makes before the SDK
     * gives up: the limit of the SDK's own retry strategy, read from a client built as
     * {@code Executors.forEngine} builds the executor's (the SDK's defaults).
     */
    private static int sdkAttemptsPerCall() {
        try (EcsClient client = EcsClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            return client.serviceClientConfiguration()
                    .overrideConfiguration()
                    .retryStrategy()
                    .map(RetryStrategy::maxAttempts)
                    .orElseThrow(() -> new AssertionError("the SDK reports no retry strategy for a default EcsClient"));
        }
    }

    private void startFakeAgent(String dagId) {
        agent = FakeEcsAgent.start(moto, harness, dagId, () -> true);
    }

    /** The ECS tasks moto holds for a try (moto lists stopped ones too), found by the executor's startedBy. */
    private List<Task> ecsTasksOf(TaskInstanceKey key, int tryNumber) {
        return moto.tasksStartedBy(EcsExecutorTestAccess.startedBy(key, tryNumber));
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void capacityFailuresAndThrottlingAreRetriedThenTheTryRunsOnce() throws Exception {
        int sdkAttempts = sdkAttemptsPerCall();
        // Gust's attempt 1 finds no capacity; its attempt 2 is throttled on every one of the SDK's
        // own attempts, so the SDK gives up on it; the next one reaches moto
        proxy.failRunTasks(Fault.capacity("RESOURCE:MEMORY"));
        for (int i = 0; i < sdkAttempts; i++) {
            proxy.failRunTasks(Fault.throttling());
        }
        // room for a client that retries less than the SDK's default: every fault still fits
        harness(Map.of("GUST_ECS__LAUNCH_RETRIES", "5"));
        harness.dag("ecs_faults_ok.yaml", """
                ecs_faults_ok:
                  schedule: null
                  tasks:
                    flaky: {operator: bash, bash_command: 'echo ran on a worker'}
                """);
        startFakeAgent("ecs_faults_ok");
        harness.startEngine();
        DagRun run = harness.trigger("ecs_faults_ok");

        DagRun done = harness.awaitFinished(run, DEADLINE);

        assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
        TaskInstance ti = harness.ti(run, "flaky");
        assertThat(ti.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(ti.tryNumber()).isEqualTo(1);
        String log = harness.log(run, "flaky", 1);
        String capacityLine =
                "Launch attempt 1 of 6 failed: RunTask failure: RESOURCE:MEMORY (injected by AwsFaultProxy)";
        assertThat(log)
                .contains(capacityLine)
                .containsPattern("Launch attempt [2-5] of 6 failed: RunTask failed: Rate exceeded")
                .doesNotContain("could not launch the ECS task")
                .contains("ran on a worker")
                .contains("Marking task as SUCCESS");
        assertThat(log.indexOf(capacityLine))
                .as("the capacity failure is logged before the throttling")
                .isLessThan(log.indexOf("Rate exceeded"));
        assertThat(occurrences(log, "Launched ECS task ")).as("launches logged").isEqualTo(1);
        List<Task> tasks = ecsTasksOf(ti.key(), 1);
        assertThat(tasks).as("ECS tasks of try 1").hasSize(1);
        assertThat(ti.externalExecutorId()).isEqualTo(tasks.getFirst().taskArn());
        assertThat(ecsTasksOf(ti.key(), 2)).as("ECS tasks of try 2").isEmpty();
        // every scripted fault was answered to the engine, and moto was asked to run a task once
        assertThat(proxy.faultsLeft()).isZero();
        assertThat(proxy.runTasksFaulted()).isEqualTo(1 + sdkAttempts);
        assertThat(proxy.runTasksForwarded()).isEqualTo(1);
    }

    @Test
    void capacityFailuresBeyondTheLimitFailTheTryWithTheReasonAndLaunchNothing() throws Exception {
        // launch_retries 2: three attempts in all, each finding no capacity; a fourth would reach moto
        proxy.failRunTasks(
                Fault.capacity("RESOURCE:MEMORY"),
                Fault.capacity("RESOURCE:MEMORY"),
                Fault.capacity("RESOURCE:MEMORY"));
        harness(Map.of("GUST_ECS__LAUNCH_RETRIES", "2"));
        harness.dag("ecs_faults_full.yaml", """
                ecs_faults_full:
                  schedule: null
                  tasks:
                    unplaced: {operator: bash, bash_command: 'echo never runs'}
                """);
        startFakeAgent("ecs_faults_full");
        harness.startEngine();
        DagRun run = harness.trigger("ecs_faults_full");

        TaskInstance ti = harness.awaitTask(
                run, "unplaced", DEADLINE, "the task to fail", t -> t.state().isFinished());
        DagRun done = harness.awaitFinished(run, DEADLINE);

        assertThat(ti.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.state()).isEqualTo(DagRunState.FAILED);
        assertThat(ti.tryNumber()).isEqualTo(1);
        assertThat(ti.externalExecutorId()).isNull();
        assertThat(harness.log(run, "unplaced", 1))
                .contains("Launch attempt 1 of 3 failed: RunTask failure: RESOURCE:MEMORY (injected by AwsFaultProxy)")
                .contains("Launch attempt 2 of 3 failed: RunTask failure: RESOURCE:MEMORY")
                .contains("could not launch the ECS task after 3 attempts: RunTask failure: RESOURCE:MEMORY"
                        + " (injected by AwsFaultProxy)")
                .contains("Marking task as FAILED")
                .doesNotContain("Launched ECS task")
                .doesNotContain("never runs");
        assertThat(ecsTasksOf(ti.key(), 1)).as("ECS tasks of try 1").isEmpty();
        assertThat(proxy.runTasksFaulted()).isEqualTo(3);
        assertThat(proxy.runTasksForwarded()).isZero();
    }

    @Test
    void theHeartbeatGoesOnWhileRunTaskCallsHang() throws Exception {
        // ECS slow to answer RunTask: the launch round waits on it, the heartbeat must not
        proxy.holdRunTasks();
        harness(Map.of("GUST_SCHEDULER__HEARTBEAT_INTERVAL", "200ms"));
        harness.dag("ecs_slow_runtask.yaml", """
                ecs_slow_runtask:
                  schedule: null
                  tasks:
                    slow: {operator: bash, bash_command: 'echo ran on a worker'}
                """);
        startFakeAgent("ecs_slow_runtask");
        harness.startEngine();
        DagRun run = harness.trigger("ecs_slow_runtask");
        EngineHarness.await(DEADLINE, "a RunTask call to hang", proxy::runTasksWaiting, n -> n > 0);

        Instant jobBeat = latestJobHeartbeat();
        Instant tryBeat = harness.ti(run, "slow").lastHeartbeatAt();
        Instant laterJobBeat = EngineHarness.await(
                DEADLINE,
                "the scheduler's heartbeat while RunTask hangs",
                this::latestJobHeartbeat,
                beat -> beat.isAfter(jobBeat));
        Instant laterTryBeat = EngineHarness.await(
                DEADLINE,
                "the claimed try's heartbeat while RunTask hangs",
                () -> harness.ti(run, "slow").lastHeartbeatAt(),
                beat -> beat != null && !beat.equals(tryBeat));
        assertThat(proxy.runTasksWaiting()).as("RunTask still hangs").isPositive();
        assertThat(laterJobBeat).isAfter(jobBeat);
        assertThat(laterTryBeat).isNotNull();

        proxy.releaseRunTasks();
        DagRun done = harness.awaitFinished(run, DEADLINE);
        assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.log(run, "slow", 1)).contains("ran on a worker");
    }

    private Instant latestJobHeartbeat() {
        return harness.db()
                .jdbc()
                .queryOne(
                        "SELECT max(latest_heartbeat) FROM job WHERE state = 'running'",
                        Params.none(),
                        row -> row.getTimestamp(1).toInstant())
                .orElseThrow();
    }
}
