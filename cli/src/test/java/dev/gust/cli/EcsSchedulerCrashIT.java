package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The ECS executor's self-healing promise with real processes: a {@code gust scheduler} with
 * {@code core.executor=ecs} (configured through the environment, AWS through
 * {@code AWS_ENDPOINT_URL}) launches the tasks of a run on moto_server and is killed with SIGKILL;
 * a second scheduler adopts the running ECS tasks by their stored ARNs; the test then plays ECS
 * by running each moto task's command override as a real {@code gust tasks run} process. The run
 * succeeds and every try was launched exactly once.
 */
class EcsSchedulerCrashIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path home;

    @TempDir
    Path dags;

    TestDatabase db;
    Process moto;
    EcsClient ecs;
    Map<String, String> env;
    final List<GustProcess> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try {
            moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(Files.createTempFile("moto", ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("moto_server is not installed; this test needs it: pip install 'moto[server]'", e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        await("moto_server to start", () -> {
            try {
                return HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException | InterruptedException notYet) {
                return false;
            }
        });
        // moto runs no containers: tasks stay RUNNING until this test, playing the worker, stops them
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/state-manager/set-transition"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"model_name\": \"ecs::task\", \"transition\": "
                                                + "{\"progression\": \"manual\", \"times\": 1000000000}}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        ecs = EcsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        String subnet;
        String group;
        try (Ec2Client ec2 = Ec2Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.50.0.0/16")).vpc().vpcId();
            ec2.modifyVpcAttribute(b -> b.vpcId(vpc).enableDnsHostnames(v -> v.value(true)));
            subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.50.1.0/24"))
                    .subnet()
                    .subnetId();
            group = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("tasks").description("tasks"))
                    .groupId();
        }
        ecs.createCluster(b -> b.clusterName("gust-crash"));
        ecs.registerTaskDefinition(b -> b.family("gust-crash-worker")
                .networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE)
                .cpu("256")
                .memory("512")
                .containerDefinitions(
                        c -> c.name("worker").image("gust:test").memory(512).essential(true)));

        db = TestDatabase.create();
        Files.writeString(dags.resolve("ecs_crash.yaml"), """
                ecs_crash:
                  schedule: null
                  tasks:
                    first: {operator: bash, bash_command: 'echo first on a worker'}
                    second: {operator: bash, bash_command: 'echo second on a worker'}
                """);
        env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", db.url());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        env.put("GUST_CORE__EXECUTOR", "ecs");
        env.put("GUST_ECS__CLUSTER", "gust-crash");
        env.put("GUST_ECS__TASK_DEFINITION", "gust-crash-worker");
        env.put("GUST_ECS__SUBNETS", subnet);
        env.put("GUST_ECS__SECURITY_GROUPS", group);
        env.put("GUST_ECS__POLL_INTERVAL", "500ms");
        env.put("GUST_SCHEDULER__HEARTBEAT_INTERVAL", "1s");
        env.put("GUST_SCHEDULER__HEALTH_CHECK_THRESHOLD", "3s");
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        check(GustProcess.run(env, "dags", "reserialize"));
        check(GustProcess.run(env, "dags", "unpause", "ecs_crash"));
        check(GustProcess.run(env, "dags", "trigger", "ecs_crash", "--logical-date", "2024-01-01"));
    }

    @AfterEach
    void tearDown() {
        processes.forEach(GustProcess::close);
        if (ecs != null) {
            ecs.close();
        }
        if (moto != null) {
            moto.destroyForcibly();
        }
        if (db != null) {
            db.close();
        }
    }

    private static void check(GustProcess.Result result) {
        assertThat(result.exitCode()).as(result.all()).isZero();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("gave up after " + DEADLINE + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private GustProcess scheduler() throws IOException {
        GustProcess scheduler = GustProcess.start(env, "scheduler");
        processes.add(scheduler);
        return scheduler;
    }

    private long count(String where) {
        return db.jdbc()
                .queryOne(
                        "SELECT count(*) FROM task_instance WHERE dag_id = 'ecs_crash' AND " + where,
                        Params.none(),
                        row -> row.getLong(1))
                .orElseThrow();
    }

    private String logs(String runId) {
        TaskLogRepository logs = new TaskLogRepository(db.jdbc());
        return logs.read(TaskInstanceKey.of("ecs_crash", runId, "first"), 1)
                + logs.read(TaskInstanceKey.of("ecs_crash", runId, "second"), 1);
    }

    @Test
    void aKilledSchedulersEcsTasksAreAdoptedAndNoTryIsLaunchedTwice() throws Exception {
        String runId = db.jdbc()
                .queryOne(
                        "SELECT run_id FROM dag_run WHERE dag_id = 'ecs_crash'", Params.none(), row -> row.getString(1))
                .orElseThrow();
        GustProcess first = scheduler();
        await("both tasks launched on ECS", () -> count("external_executor_id IS NOT NULL AND state = 'running'") == 2);
        first.kill9();

        GustProcess second = scheduler();
        await(
                "the second scheduler to adopt both ECS tasks",
                () -> logs(runId).split("adopted ECS task", -1).length == 3);

        List<String> arns = ecs.listTasks(b -> b.cluster("gust-crash").desiredStatus(DesiredStatus.RUNNING))
                .taskArns();
        assertThat(arns).hasSize(2);
        for (Task task :
                ecs.describeTasks(b -> b.cluster("gust-crash").tasks(arns)).tasks()) {
            // what the worker container runs: the image's entrypoint is gust
            List<String> command =
                    task.overrides().containerOverrides().getFirst().command();
            GustProcess.Result worker = GustProcess.run(env, command.toArray(String[]::new));
            assertThat(worker.exitCode()).as(worker.all()).isZero();
            ecs.stopTask(
                    b -> b.cluster("gust-crash").task(task.taskArn()).reason("Essential container in task exited"));
        }
        await(
                "the run to succeed",
                () -> db.jdbc()
                        .queryOne(
                                "SELECT state FROM dag_run WHERE dag_id = 'ecs_crash'",
                                Params.none(),
                                row -> row.getString(1))
                        .orElseThrow()
                        .equals("success"));

        assertThat(count("state = 'success' AND try_number = 1")).isEqualTo(2);
        assertThat(ecs.listTasks(b -> b.cluster("gust-crash")).taskArns())
                .as("ECS tasks ever launched")
                .hasSize(2);
        assertThat(logs(runId)).contains("first on a worker").contains("second on a worker");
        assertThat(second.terminate(Duration.ofSeconds(30))).isZero();
    }
}
