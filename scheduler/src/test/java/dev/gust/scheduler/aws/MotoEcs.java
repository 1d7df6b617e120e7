package dev.gust.scheduler.aws;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A {@code moto_server} on a free loopback port with what the ECS tests need: a VPC with DNS
 * hostnames (moto's RunTask with awsvpc wants it), a subnet, a security group, a cluster and a
 * Fargate worker task definition whose container has {@code memory} (moto's RunTask wants that
 * too). ECS tasks stay RUNNING until stopped (moto would otherwise move them on each
 * DescribeTasks), because moto runs no containers: the tests play the worker. The SDK's standard
 * configuration (system properties {@code aws.endpointUrl}, region, credentials) points at it
 * while it runs, so the code under test builds its clients as in production. If moto_server is
 * missing the test fails with what to install.
 */
public final class MotoEcs implements AutoCloseable {

    public static final String CLUSTER = "gust-test";
    public static final String WORKER_FAMILY = "gust-test-worker";
    private static final List<String> PROPERTIES =
            List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey");

    private final Process process;
    private final Path log;
    private final URI endpoint;
    private final EcsClient ecs;
    private final String subnetId;
    private final String securityGroupId;

    private MotoEcs(Process process, Path log, URI endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
        System.setProperty("aws.endpointUrl", endpoint.toString());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        this.ecs = EcsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        try (Ec2Client ec2 = Ec2Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.40.0.0/16")).vpc().vpcId();
            ec2.modifyVpcAttribute(b -> b.vpcId(vpc).enableDnsHostnames(v -> v.value(true)));
            subnetId = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.40.1.0/24"))
                    .subnet()
                    .subnetId();
            securityGroupId = ec2.createSecurityGroup(
                            b -> b.vpcId(vpc).groupName("gust-test-tasks").description("worker tasks"))
                    .groupId();
        }
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        ecs.registerTaskDefinition(b -> b.family(WORKER_FAMILY)
                .networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE)
                .cpu("256")
                .memory("512")
                .containerDefinitions(
                        c -> c.name("worker").image("gust:test").memory(512).essential(true)));
        setTransition("{\"progression\": \"manual\", \"times\": 1000000000}");
    }

    public static MotoEcs start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("moto-ecs", ".log");
        Process process;
        try {
            process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "moto_server is not installed; the ECS tests need it: pip install 'moto[server]'", e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return new MotoEcs(process, log, endpoint);
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("moto_server did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    /** moto's state manager for {@code ecs::task}: how tasks advance on DescribeTasks. */
    private void setTransition(String transitionJson) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(endpoint.resolve("/moto-api/state-manager/set-transition"))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"model_name\": \"ecs::task\", \"transition\": " + transitionJson + "}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("moto refused the transition: " + response.body());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public EcsClient ecs() {
        return ecs;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String subnetId() {
        return subnetId;
    }

    public String securityGroupId() {
        return securityGroupId;
    }

    /**
     * The settings that run a scheduler's tasks on this moto with the ECS executor, polling and
     * backing off fast so a test waits little.
     */
    public Map<String, String> executorSettings(String taskDefinition) {
        return Map.of(
                "GUST_CORE__EXECUTOR",
                "ecs",
                "GUST_ECS__CLUSTER",
                CLUSTER,
                "GUST_ECS__TASK_DEFINITION",
                taskDefinition,
                "GUST_ECS__SUBNETS",
                subnetId,
                "GUST_ECS__SECURITY_GROUPS",
                securityGroupId,
                "GUST_ECS__POLL_INTERVAL",
                "200ms",
                "GUST_ECS__LAUNCH_BACKOFF",
                "100ms");
    }

    /** The ECS tasks of the cluster that {@code startedBy} launched, stopped ones too (moto lists them). */
    public List<Task> tasksStartedBy(String startedBy) {
        List<String> arns =
                ecs.listTasks(b -> b.cluster(CLUSTER).startedBy(startedBy)).taskArns();
        return arns.isEmpty()
                ? List.of()
                : ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(arns)).tasks();
    }

    @Override
    public void close() throws IOException {
        ecs.close();
        PROPERTIES.forEach(System::clearProperty);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
