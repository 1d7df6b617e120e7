package dev.gust.cli;

import static dev.gust.cli.IsolatedGustIT.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.deploy.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * {@code gust deploy} as ops run it, against moto_server through the SDK's own
 * {@code AWS_ENDPOINT_URL}: plan, up, status, run (a command's log and exit code), plan again (no
 * changes), down; and the one-line
 * errors for a region typo, missing credentials and an image not given by digest.
 */
class DeployIT {

    private static final String IMAGE =
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/gust-cli@sha256:" + "f".repeat(64);

    private static MotoServer moto;

    @TempDir
    Path home;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(Map.of("MOTO_ECS_SERVICE_RUNNING", "2"));
        // a task of deploy run stays RUNNING until the test, playing its container, stops it
        moto.setTransition("ecs::task", "{\"progression\": \"manual\", \"times\": 1000000}");
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    private Map<String, String> aws() {
        Map<String, String> env = new HashMap<>(GustProcess.isolatedEnvironment(home));
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", home.resolve("no-aws-config").toString());
        env.put(
                "AWS_SHARED_CREDENTIALS_FILE",
                home.resolve("no-aws-credentials").toString());
        return env;
    }

    @Test
    void planUpStatusDown() throws Exception {
        Path config = home.resolve("deploy.yaml");
        Files.writeString(config, "scheduler:\n  desired_count: 2\n");
        String[] target = {"--name", "cli", "--config", config.toString()};

        GustProcess.Result plan =
                GustProcess.run(aws(), concat(new String[] {"deploy", "plan", "--image", IMAGE}, target));
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.stdout())
                .contains("+ ECS service      webserver")
                .contains("to create, 0 to update, 0 to delete");

        GustProcess.Result up = GustProcess.run(aws(), concat(new String[] {"deploy", "up", "--image", IMAGE}, target));
        assertThat(up.exitCode()).as(up.all()).isZero();
        assertThat(up.stdout()).contains("webserver 2/2 running").containsPattern("Gust cli is up: http://\\S+");
        // The webserver believes X-Forwarded-For only from its VPC (the ALB's addresses): the VPC's CIDR, resolved.
        try (EcsClient ecs = EcsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            var environment = ecs.describeTaskDefinition(b -> b.taskDefinition("gust-cli-webserver"))
                    .taskDefinition()
                    .containerDefinitions()
                    .get(0)
                    .environment();
            assertThat(environment)
                    .filteredOn(e -> e.name().equals("GUST_WEBSERVER__TRUSTED_PROXIES"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.value()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+"));
        }

        GustProcess.Result status = GustProcess.run(aws(), concat(new String[] {"deploy", "status"}, target));
        assertThat(status.exitCode()).as(status.all()).isZero();
        assertThat(status.stdout())
                .contains("service webserver  desired 2, running 2, pending 0")
                .contains("service scheduler  desired 2, running 2")
                .contains("url: http://");

        // deploy run: the command after -- runs as a worker task; its log lines are printed, its exit code returned
        CompletableFuture<Void> container = CompletableFuture.runAsync(DeployIT::playContainer);
        GustProcess.Result run = GustProcess.run(
                aws(), concat(concat(new String[] {"deploy", "run"}, target), new String[] {"--", "dags", "list"}));
        container.get(60, TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).as(run.all()).isEqualTo("dag_id\nexample\n");
        assertThat(run.stderr())
                .contains("started task ")
                .contains(": gust dags list (log /gust/cli/worker worker/worker/");
        assertOneLineError(
                GustProcess.run(aws(), concat(concat(new String[] {"deploy", "run"}, target), new String[] {
                    "--", "webserver"
                })),
                "'webserver' runs as a service of the deployment");

        GustProcess.Result again = GustProcess.run(aws(), concat(new String[] {"deploy", "plan"}, target));
        assertThat(again.stdout()).as(again.all()).contains("No changes");

        GustProcess.Result down = GustProcess.run(aws(), concat(new String[] {"deploy", "down"}, target));
        assertThat(down.exitCode()).as(down.all()).isZero();
        assertThat(down.stdout()).contains("Deleted deployment cli");
        assertThat(GustProcess.run(aws(), concat(new String[] {"deploy", "status"}, target))
                        .stdout())
                .contains("does not exist");
    }

    @Test
    void userErrorsAreOneLine() throws Exception {
        assertOneLineError(
                GustProcess.run(aws(), "deploy", "plan", "--name", "x", "--region", "us-eats-1"),
                "unknown AWS region 'us-eats-1' (did you mean us-east-1?)");

        Map<String, String> noCredentials = aws();
        noCredentials.remove("AWS_ACCESS_KEY_ID");
        noCredentials.remove("AWS_SECRET_ACCESS_KEY");
        noCredentials.put("AWS_EC2_METADATA_DISABLED", "true");
        assertOneLineError(GustProcess.run(noCredentials, "deploy", "plan", "--name", "x"), "no AWS credentials found");

        assertOneLineError(
                GustProcess.run(aws(), "deploy", "up", "--name", "x", "--image", "gust:latest"), "by digest");
        assertOneLineError(
                GustProcess.run(aws(), "deploy", "plan", "--name", "Bad_Name"), "deployment name 'Bad_Name'");
    }

    /** The container of deploy run's task, as ECS would run it: two lines in its awslogs stream, then it exits. */
    private static void playContainer() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        try (EcsClient ecs = EcsClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .build();
                CloudWatchLogsClient logs = CloudWatchLogsClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
            java.util.List<String> arns;
            do {
                Thread.sleep(100);
                arns = ecs.listTasks(b -> b.cluster("gust-cli").startedBy("gust-deploy-run"))
                        .taskArns();
            } while (arns.isEmpty() && System.nanoTime() < deadline);
            String arn = arns.get(0);
            String stream = "worker/worker/" + arn.substring(arn.lastIndexOf('/') + 1);
            logs.createLogStream(b -> b.logGroupName("/gust/cli/worker").logStreamName(stream));
            long now = System.currentTimeMillis();
            logs.putLogEvents(b -> b.logGroupName("/gust/cli/worker")
                    .logStreamName(stream)
                    .logEvents(
                            e -> e.timestamp(now).message("dag_id"),
                            e -> e.timestamp(now + 1).message("example")));
            ecs.stopTask(b -> b.cluster("gust-cli").task(arn).reason("Essential container in task exited"));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
