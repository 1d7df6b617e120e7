package dev.gust.scheduler.operators.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.scheduler.aws.MotoEcs;
import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.OperatorRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * {@code ecs_run_task} against moto_server: it runs the task definition with the overrides, waits
 * for it to stop (the test stops it: moto runs no containers and reports exit code 0), copies the
 * CloudWatch log lines into the task log, skips on a listed exit code, reattaches to a running task
 * of an earlier try instead of starting a second, and stops its ECS task when the try is stopped.
 */
class EcsRunTaskOperatorTest {

    static MotoEcs moto;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoEcs.start();
        logs = CloudWatchLogsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        logs.createLogGroup(b -> b.logGroupName("/gust/test/jobs"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (logs != null) {
            logs.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static Map<String, Object> network() {
        return Map.of(
                "awsvpcConfiguration",
                Map.of("subnets", List.of(moto.subnetId()), "securityGroups", List.of(moto.securityGroupId())));
    }

    static Thread lastThread;

    private static OperatorOutcome await(CompletableFuture<OperatorOutcome> outcome, FakeTaskRunContext context)
            throws Exception {
        try {
            return outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement el : lastThread.getStackTrace()) {
                stack.append("\n  at ").append(el);
            }
            throw new AssertionError("the operator did not finish; its log:\n" + context.logText() + stack);
        }
    }

    private static CompletableFuture<OperatorOutcome> execute(FakeTaskRunContext context) {
        CompletableFuture<OperatorOutcome> result = new CompletableFuture<>();
        lastThread = Thread.ofVirtual().start(() -> {
            try {
                result.complete(OperatorRegistry.load().get("ecs_run_task").execute(context));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static List<Task> tasksStartedBy(FakeTaskRunContext context) {
        List<String> arns = moto.ecs()
                .listTasks(b -> b.cluster(MotoEcs.CLUSTER).startedBy(EcsRunTaskOperator.startedBy(context)))
                .taskArns();
        return arns.isEmpty()
                ? List.of()
                : moto.ecs()
                        .describeTasks(b -> b.cluster(MotoEcs.CLUSTER).tasks(arns))
                        .tasks();
    }

    private static Task awaitStarted(FakeTaskRunContext context) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            // the tests share one task instance id (so one startedBy): only a running task is this test's
            List<Task> tasks = tasksStartedBy(context).stream()
                    .filter(t -> !"STOPPED".equals(t.lastStatus()))
                    .toList();
            if (!tasks.isEmpty()) {
                return tasks.getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the operator started no ECS task; its log: " + context.logText());
    }

    @Test
    void runsTheTaskDefinitionWithOverridesCopiesItsCloudWatchLinesAndSucceeds() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "cluster",
                MotoEcs.CLUSTER,
                "task_definition",
                MotoEcs.WORKER_FAMILY,
                "network_configuration",
                network(),
                "overrides",
                Map.of(
                        "containerOverrides",
                        List.of(Map.of(
                                "name",
                                "worker",
                                "command",
                                List.of("python", "job.py", "--day", "2024-01-01"),
                                "environment",
                                List.of(Map.of("name", "STAGE", "value", "prod"))))),
                "awslogs_group",
                "/gust/test/jobs",
                "awslogs_stream_prefix",
                "jobs/worker",
                "poll_interval",
                "100ms");
        CompletableFuture<OperatorOutcome> outcome = execute(context);
        Task task = awaitStarted(context);
        String stream = "jobs/worker/" + task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        logs.createLogStream(b -> b.logGroupName("/gust/test/jobs").logStreamName(stream));
        logs.putLogEvents(b -> b.logGroupName("/gust/test/jobs")
                .logStreamName(stream)
                .logEvents(
                        InputLogEvent.builder()
                                .timestamp(System.currentTimeMillis())
                                .message("loading 42 rows")
                                .build(),
                        InputLogEvent.builder()
                                .timestamp(System.currentTimeMillis())
                                .message("done")
                                .build()));
        Thread.sleep(300); // let a poll copy the lines while the task still runs
        moto.ecs().stopTask(b -> b.cluster(MotoEcs.CLUSTER).task(task.taskArn()).reason("Essential container exited"));

        assertThat(await(outcome, context)).isEqualTo(OperatorOutcome.success());
        assertThat(task.overrides().containerOverrides().getFirst().command())
                .containsExactly("python", "job.py", "--day", "2024-01-01");
        assertThat(task.overrides().containerOverrides().getFirst().environment())
                .anySatisfy(kv -> assertThat(kv.name() + "=" + kv.value()).isEqualTo("STAGE=prod"));
        assertThat(context.logText())
                .contains("Started ECS task " + task.taskArn())
                .contains("[" + stream + "] loading 42 rows")
                .contains("[" + stream + "] done");
        assertThat(context.logText().split("loading 42 rows", -1))
                .as("each line copied once")
                .hasSize(2);
    }

    @Test
    void anImageWithACommandRunsAndAListedExitCodeSkips() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of(
                        "cluster",
                        MotoEcs.CLUSTER,
                        "image",
                        "alpine:3.20",
                        "command",
                        "echo nothing to do; exit 0",
                        "network_configuration",
                        network(),
                        "skip_on_exit_code",
                        List.of(0),
                        "poll_interval",
                        "100ms")
                .tryNumber(1);
        CompletableFuture<OperatorOutcome> outcome = execute(context);
        Task task = awaitStarted(context);
        moto.ecs().stopTask(b -> b.cluster(MotoEcs.CLUSTER).task(task.taskArn()).reason("Essential container exited"));

        assertThat(await(outcome, context)).isInstanceOf(OperatorOutcome.Skipped.class);
        assertThat(task.taskDefinitionArn()).contains(":task-definition/gust-run-");
        assertThat(task.overrides().containerOverrides().getFirst().command())
                .containsExactly("sh", "-c", "echo nothing to do; exit 0");
    }

    @Test
    void aRetryReattachesToTheRunningTaskOfAnEarlierTryAndAStoppedTryStopsIt() throws Exception {
        FakeTaskRunContext first = FakeTaskRunContext.of(
                        "cluster",
                        MotoEcs.CLUSTER,
                        "task_definition",
                        MotoEcs.WORKER_FAMILY,
                        "network_configuration",
                        network(),
                        "reattach",
                        true,
                        "poll_interval",
                        "100ms")
                .tryNumber(1);
        execute(first);
        Task running = awaitStarted(first);
        // the first try's worker died (its process is gone); the ECS task runs on

        FakeTaskRunContext second = FakeTaskRunContext.of(
                        "cluster",
                        MotoEcs.CLUSTER,
                        "task_definition",
                        MotoEcs.WORKER_FAMILY,
                        "network_configuration",
                        network(),
                        "reattach",
                        true,
                        "poll_interval",
                        "100ms")
                .tryNumber(2);
        Thread secondThread = Thread.ofVirtual().start(() -> {
            try {
                OperatorRegistry.load().get("ecs_run_task").execute(second);
            } catch (Exception expected) {
                // interrupted below
            }
        });
        for (int i = 0; i < 200 && !second.logText().contains("Reattached"); i++) {
            Thread.sleep(50);
        }
        assertThat(second.logText()).contains("Reattached to ECS task " + running.taskArn());
        assertThat(tasksStartedBy(second).stream().filter(t -> !"STOPPED".equals(t.lastStatus())))
                .as("no second ECS task was started")
                .extracting(Task::taskArn)
                .containsExactly(running.taskArn());

        // the try times out: the ECS task must not run on unwatched
        secondThread.interrupt();
        secondThread.join(Duration.ofSeconds(30));
        Task stopped = moto.ecs()
                .describeTasks(b -> b.cluster(MotoEcs.CLUSTER).tasks(running.taskArn()))
                .tasks()
                .getFirst();
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stoppedReason()).isEqualTo("Gust: the task instance was stopped");
    }
}
