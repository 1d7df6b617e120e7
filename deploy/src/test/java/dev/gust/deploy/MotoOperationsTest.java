package dev.gust.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.image.ImagePublisher;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.plan.Plan;
import dev.gust.deploy.plan.PlanAction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Operating a deployment, against moto_server, every claim checked by describing with the SDK
 * directly: the task role's extra grants, the runtime platform, the production defaults (ECR
 * lifecycle policy, RDS deletion protection, deregistration delay, TLS policy) and service auto
 * scaling, which {@code down} removes; and {@code gust deploy run}, whose task moto "runs" while
 * the test plays the container (writing its log lines, then stopping it).
 */
class MotoOperationsTest {

    private static final String IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/gust-o@sha256:" + "a".repeat(64);
    private static final ImagePublisher NO_BUILD = (repository, tag, login, build) -> {
        throw new AssertionError("--image was given: nothing may be built");
    };

    private static MotoServer moto;
    private static AwsClients aws;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(Map.of("MOTO_ECS_SERVICE_RUNNING", "2"));
        // moto's tasks would otherwise report STOPPED at the first describe; here a task runs until
        // the test stops it, as a container runs until its command ends
        moto.setTransition("ecs::task", "{\"progression\": \"manual\", \"times\": 1000000}");
        aws = AwsClients.create(
                Optional.of("us-east-1"),
                Optional.empty(),
                Optional.of(moto.endpoint()),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))));
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private Deployment deployment(String name, DeployConfig config) {
        return new Deployment(
                aws,
                name,
                config,
                new PrintStream(output, true, StandardCharsets.UTF_8),
                Duration.ofMillis(50),
                Duration.ofSeconds(30));
    }

    private static DeployConfig config(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, yaml);
        return DeployConfig.load(file, true);
    }

    @Test
    void extraGrantsPlatformProductionDefaultsAndScalingAreInAwsAndDownRemovesThem(@TempDir Path dir) throws Exception {
        String certificate;
        try (var acm = software.amazon.awssdk.services.acm.AcmClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            certificate = acm.requestCertificate(r -> r.domainName("gust.example.com"))
                    .certificateArn();
        }
        String readData = aws.iam()
                .createPolicy(r -> r.policyName("read-data")
                        .policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::data/*\"}]}"))
                .policy()
                .arn();
        String writeData = aws.iam()
                .createPolicy(r -> r.policyName("write-data")
                        .policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::data/*\"}]}"))
                .policy()
                .arn();
        String yaml = """
                certificate_arn: %s
                runtime_platform: arm64
                ecr: {keep_images: 5}
                deregistration_delay_seconds: 15
                webserver:
                  desired_count: 2
                  autoscaling: {min: 2, max: 6, requests_per_target: 500, cpu_percent: 50}
                scheduler:
                  desired_count: 2
                  autoscaling: {max: 3}
                iam:
                  task_role_policy_arns: [%s, %s]
                  task_role_statements:
                    - Effect: Allow
                      Action: [sqs:SendMessage, sqs:GetQueueUrl]
                      Resource: arn:aws:sqs:us-east-1:123456789012:jobs
                  ecs_run_task_definitions: [arn:aws:ecs:us-east-1:123456789012:task-definition/etl]
                  ecs_run_task_roles: [arn:aws:iam::123456789012:role/etl-task]
                """;
        Deployment deployment = deployment("o", config(dir, yaml.formatted(certificate, readData, writeData)));
        deployment.up(Optional.of(IMAGE), NO_BUILD);

        // --- the task role: the managed policies attached, the statements inline after Gust's own
        assertThat(aws.iam()
                        .listAttachedRolePolicies(r -> r.roleName("gust-o-task"))
                        .attachedPolicies())
                .extracting(p -> p.policyArn())
                .containsExactlyInAnyOrder(readData, writeData);
        assertThat(aws.iam()
                        .listAttachedRolePolicies(r -> r.roleName("gust-o-execution"))
                        .attachedPolicies())
                .isEmpty();
        String taskPolicy = URLDecoder.decode(
                aws.iam()
                        .getRolePolicy(r -> r.roleName("gust-o-task").policyName("gust-task"))
                        .policyDocument(),
                StandardCharsets.UTF_8);
        assertThat(taskPolicy)
                .contains("task-definition/gust-o-worker:*") // Gust's own grants stay
                .contains("\"Sid\":\"DeployYaml0\",\"Effect\":\"Allow\",\"Action\":[\"sqs:SendMessage\","
                        + "\"sqs:GetQueueUrl\"],\"Resource\":\"arn:aws:sqs:us-east-1:123456789012:jobs\"")
                .contains("\"Action\":[\"ecs:RunTask\"],"
                        + "\"Resource\":[\"arn:aws:ecs:us-east-1:123456789012:task-definition/etl:*\"]")
                .contains("\"Action\":[\"iam:PassRole\"],\"Resource\":[\"arn:aws:iam::123456789012:role/etl-task\"]")
                .contains("\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"");

        // --- arm64: every task definition runs on ARM64 Linux
        for (String family : List.of("gust-o-webserver", "gust-o-scheduler", "gust-o-worker")) {
            var platform = aws.ecs()
                    .describeTaskDefinition(r -> r.taskDefinition(family))
                    .taskDefinition()
                    .runtimePlatform();
            assertThat(platform.cpuArchitectureAsString()).as(family).isEqualTo("ARM64");
            assertThat(platform.operatingSystemFamilyAsString()).as(family).isEqualTo("LINUX");
        }

        // --- production defaults
        String lifecycle =
                aws.ecr().getLifecyclePolicy(r -> r.repositoryName("gust-o")).lifecyclePolicyText();
        assertThat(lifecycle)
                .contains("\"countType\":\"imageCountMoreThan\"")
                .contains("\"countNumber\":5")
                .contains("\"type\":\"expire\"");
        var instance = aws.rds()
                .describeDBInstances(r -> r.dbInstanceIdentifier("gust-o"))
                .dbInstances()
                .get(0);
        assertThat(instance.deletionProtection()).isTrue();
        // ... which RDS enforces: a delete that is not down's is refused
        assertThatThrownBy(() -> aws.rds()
                        .deleteDBInstance(r -> r.dbInstanceIdentifier("gust-o").skipFinalSnapshot(true)))
                .hasMessageContaining("deletion protection");
        var targetGroup = aws.elb()
                .describeTargetGroups(r -> r.names("gust-o-web"))
                .targetGroups()
                .get(0);
        assertThat(aws.elb()
                        .describeTargetGroupAttributes(r -> r.targetGroupArn(targetGroup.targetGroupArn()))
                        .attributes())
                .anyMatch(a -> a.key().equals("deregistration_delay.timeout_seconds")
                        && a.value().equals("15"));
        var lb = aws.elb()
                .describeLoadBalancers(r -> r.names("gust-o"))
                .loadBalancers()
                .get(0);
        var https = aws.elb().describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().stream()
                .filter(l -> l.port() == 443)
                .findFirst()
                .orElseThrow();
        assertThat(https.sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");

        // --- auto scaling: both services, bounds and target tracking policies
        var targets = aws
                .autoscaling()
                .describeScalableTargets(r -> r.serviceNamespace(ServiceNamespace.ECS))
                .scalableTargets()
                .stream()
                .collect(Collectors.toMap(t -> t.resourceId(), t -> t));
        assertThat(targets).containsOnlyKeys("service/gust-o/webserver", "service/gust-o/scheduler");
        assertThat(targets.get("service/gust-o/webserver").minCapacity()).isEqualTo(2);
        assertThat(targets.get("service/gust-o/webserver").maxCapacity()).isEqualTo(6);
        assertThat(targets.get("service/gust-o/scheduler").minCapacity()).isEqualTo(2);
        assertThat(targets.get("service/gust-o/scheduler").maxCapacity()).isEqualTo(3);
        Map<String, ScalingPolicy> policies = scalingPolicies();
        assertThat(policies)
                .containsOnlyKeys("gust-o-webserver-requests", "gust-o-webserver-cpu", "gust-o-scheduler-cpu");
        var requests = policies.get("gust-o-webserver-requests").targetTrackingScalingPolicyConfiguration();
        assertThat(requests.targetValue()).isEqualTo(500.0);
        assertThat(requests.predefinedMetricSpecification().predefinedMetricTypeAsString())
                .isEqualTo("ALBRequestCountPerTarget");
        String lbPart = lb.loadBalancerArn().substring(lb.loadBalancerArn().indexOf("loadbalancer/") + 13);
        String tgPart = targetGroup
                .targetGroupArn()
                .substring(targetGroup.targetGroupArn().indexOf("targetgroup/"));
        assertThat(requests.predefinedMetricSpecification().resourceLabel()).isEqualTo(lbPart + "/" + tgPart);
        var webCpu = policies.get("gust-o-webserver-cpu").targetTrackingScalingPolicyConfiguration();
        assertThat(webCpu.targetValue()).isEqualTo(50.0);
        assertThat(webCpu.predefinedMetricSpecification().predefinedMetricTypeAsString())
                .isEqualTo("ECSServiceAverageCPUUtilization");
        assertThat(policies.get("gust-o-scheduler-cpu")
                        .targetTrackingScalingPolicyConfiguration()
                        .targetValue())
                .as("the default CPU target")
                .isEqualTo(60.0);

        assertThat(deployment.status())
                .contains("scaling service/gust-o/webserver: 2 to 6 tasks")
                .contains("scaling service/gust-o/scheduler: 2 to 3 tasks");

        // --- converged: nothing to change
        Plan again = deployment.plan(Optional.of(IMAGE));
        assertThat(again.hasChanges()).as(again.render()).isFalse();

        // --- an instance left unprotected (made before protection, or an up stopped halfway) is protected by the next
        aws.rds().modifyDBInstance(r -> r.dbInstanceIdentifier("gust-o").deletionProtection(false));
        aws.rds()
                .removeTagsFromResource(
                        r -> r.resourceName(instance.dbInstanceArn()).tagKeys("gust:fingerprint"));
        assertThat(deployment.plan(Optional.of(IMAGE)).names(PlanAction.Update.class))
                .containsExactly("gust-o");
        deployment.up(Optional.of(IMAGE), NO_BUILD);
        assertThat(aws.rds()
                        .describeDBInstances(r -> r.dbInstanceIdentifier("gust-o"))
                        .dbInstances()
                        .get(0)
                        .deletionProtection())
                .isTrue();

        // --- a scaling policy changed by hand shows, and the next up puts it back
        aws.autoscaling()
                .putScalingPolicy(r -> r.policyName("gust-o-webserver-cpu")
                        .serviceNamespace(ServiceNamespace.ECS)
                        .resourceId("service/gust-o/webserver")
                        .scalableDimension("ecs:service:DesiredCount")
                        .policyType("TargetTrackingScaling")
                        .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(90.0)
                                .predefinedMetricSpecification(
                                        m -> m.predefinedMetricType("ECSServiceAverageCPUUtilization"))));
        assertThat(deployment.plan(Optional.of(IMAGE)).names(PlanAction.Update.class))
                .containsExactly("service/gust-o/webserver");

        // --- fewer grants and no scheduler scaling: detached and deregistered
        String smaller = yaml.formatted(certificate, readData, writeData)
                .replace(", " + writeData, "")
                .replace("  autoscaling: {max: 3}\n", "");
        Deployment changed = deployment("o", config(dir, smaller));
        Plan plan = changed.plan(Optional.of(IMAGE));
        assertThat(plan.names(PlanAction.Delete.class)).containsExactly("service/gust-o/scheduler");
        assertThat(plan.names(PlanAction.Update.class)).contains("gust-o-task", "service/gust-o/webserver");
        changed.up(Optional.of(IMAGE), NO_BUILD);
        assertThat(aws.iam()
                        .listAttachedRolePolicies(r -> r.roleName("gust-o-task"))
                        .attachedPolicies())
                .extracting(p -> p.policyArn())
                .containsExactly(readData);
        assertThat(scalingPolicies()).containsOnlyKeys("gust-o-webserver-requests", "gust-o-webserver-cpu");
        assertThat(scalingPolicies()
                        .get("gust-o-webserver-cpu")
                        .targetTrackingScalingPolicyConfiguration()
                        .targetValue())
                .isEqualTo(50.0);
        assertThat(changed.plan(Optional.of(IMAGE)).hasChanges()).isFalse();

        // --- down: the scaling goes, the protected database goes with its final snapshot
        changed.down();
        assertThat(aws.autoscaling()
                        .describeScalableTargets(r -> r.serviceNamespace(ServiceNamespace.ECS))
                        .scalableTargets())
                .noneMatch(t -> t.resourceId().startsWith("service/gust-o/"));
        assertThat(scalingPolicies()).isEmpty();
        assertThat(aws.rds().describeDBInstances().dbInstances())
                .noneMatch(i -> i.dbInstanceIdentifier().equals("gust-o"));
        assertThat(aws.rds().describeDBSnapshots().dbSnapshots())
                .anyMatch(s -> s.dbSnapshotIdentifier().startsWith("gust-o-final-"));
        assertThat(aws.iam().listRoles().roles()).noneMatch(r -> r.roleName().startsWith("gust-o-"));
        assertThat(aws.ecr().describeRepositories().repositories())
                .noneMatch(r -> r.repositoryName().equals("gust-o"));
    }

    private static Map<String, ScalingPolicy> scalingPolicies() {
        return aws
                .autoscaling()
                .describeScalingPolicies(r -> r.serviceNamespace(ServiceNamespace.ECS))
                .scalingPolicies()
                .stream()
                .filter(p -> p.resourceId().startsWith("service/gust-o/"))
                .collect(Collectors.toMap(p -> p.policyName(), p -> p));
    }

    @Test
    void runStartsOneWorkerTaskWithTheCommandAndStreamsItsLogUntilItStops(@TempDir Path dir) throws Exception {
        Deployment deployment = deployment(
                "c",
                config(
                        dir,
                        "database: {url: \"postgresql://app:pw@db.example.com:6432/gust\"}\n"
                                + "network: {restrict_egress: true}\n"));
        deployment.up(Optional.of(IMAGE), NO_BUILD);
        output.reset();

        // --- restricted egress: the tasks reach HTTPS and the database's port, nothing else
        var tasksGroup = aws.ec2()
                .describeSecurityGroups(r -> r.filters(f -> f.name("group-name").values("gust-c-tasks")))
                .securityGroups()
                .get(0);
        assertThat(tasksGroup.ipPermissionsEgress())
                .allSatisfy(p -> {
                    assertThat(p.ipProtocol()).isEqualTo("tcp");
                    assertThat(p.fromPort()).isEqualTo(p.toPort());
                    assertThat(p.ipRanges()).extracting(r -> r.cidrIp()).containsExactly("0.0.0.0/0");
                })
                .extracting(p -> p.fromPort())
                .containsExactlyInAnyOrder(443, 6432);
        assertThat(aws.ec2()
                        .describeSecurityGroups(
                                r -> r.filters(f -> f.name("group-name").values("gust-c-alb")))
                        .securityGroups()
                        .get(0)
                        .ipPermissionsEgress())
                .singleElement()
                .satisfies(p -> assertThat(p.ipProtocol()).isEqualTo("-1"));
        assertThat(deployment.plan(Optional.of(IMAGE)).hasChanges()).isFalse();

        // the container, played by the test: when the task runs, it writes three lines and exits
        CompletableFuture<Task> container = CompletableFuture.supplyAsync(() -> {
            try {
                return playContainer("gust-c", "/gust/c/worker", List.of("dags:", "  example_dag", "2 DAGs"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        PrintStream progressStream = new PrintStream(progress, true, StandardCharsets.UTF_8);
        int exitCode = deployment.run(List.of("dags", "list", "--output", "plain"), progressStream);
        Task task = container.get(30, TimeUnit.SECONDS);

        // moto gives every container exit code 0 (it runs none); a non-zero one is CommandRunTest's
        assertThat(exitCode).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("dags:\n  example_dag\n2 DAGs\n");
        String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .contains("started task " + taskId + " in gust-c: gust dags list --output plain")
                .contains("log /gust/c/worker worker/worker/" + taskId)
                .contains("  task running")
                .contains("stopped (Essential container in task exited): exit code 0");

        // exactly one task, of the worker definition, with the command as the container's override,
        // in the scheduler's subnets and security group
        var tasks = aws.ecs().listTasks(r -> r.cluster("gust-c")).taskArns();
        assertThat(tasks).containsExactly(task.taskArn());
        assertThat(task.taskDefinitionArn()).endsWith(":task-definition/gust-c-worker:1");
        assertThat(task.overrides().containerOverrides()).singleElement().satisfies(o -> {
            assertThat(o.name()).isEqualTo("worker");
            assertThat(o.command()).containsExactly("dags", "list", "--output", "plain");
        });
        var scheduler = aws.ecs()
                .describeServices(r -> r.cluster("gust-c").services("scheduler"))
                .services()
                .get(0)
                .networkConfiguration()
                .awsvpcConfiguration();
        var subnet = task.attachments().get(0).details().stream()
                .filter(d -> d.name().equals("subnetId"))
                .findFirst()
                .orElseThrow()
                .value();
        assertThat(scheduler.subnets()).contains(subnet);

        // the services are refused, and start nothing
        for (String service : List.of("scheduler", "webserver", "standalone")) {
            assertThatThrownBy(() -> deployment.run(List.of(service), progressStream))
                    .isInstanceOf(DeployException.class)
                    .hasMessage("gust deploy run runs commands that finish; '" + service
                            + "' runs as a service of the deployment (gust deploy up starts it, status shows it)");
        }
        assertThatThrownBy(() -> deployment.run(List.of("--verbose", "scheduler"), progressStream))
                .hasMessageContaining("'scheduler' runs as a service");
        assertThat(aws.ecs().listTasks(r -> r.cluster("gust-c")).taskArns()).hasSize(1);

        deployment.down();
        assertThatThrownBy(() -> deployment.run(List.of("dags", "list"), progressStream))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("deployment c does not exist in us-east-1");
    }

    /**
     * Waits for the one task {@code gust deploy run} starts in {@code cluster}, writes {@code lines}
     * to the stream the awslogs driver would give it, and stops it as ECS does when its container
     * exits. Returns the task as described then.
     */
    private static Task playContainer(String cluster, String group, List<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> arns;
        do {
            Thread.sleep(50);
            arns = aws.ecs()
                    .listTasks(r -> r.cluster(cluster).startedBy("gust-deploy-run"))
                    .taskArns();
        } while (arns.isEmpty() && System.nanoTime() < deadline);
        String arn = arns.get(0);
        String stream = "worker/worker/" + arn.substring(arn.lastIndexOf('/') + 1);
        aws.logs().createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        long now = System.currentTimeMillis();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            long at = now + i;
            aws.logs()
                    .putLogEvents(r -> r.logGroupName(group)
                            .logStreamName(stream)
                            .logEvents(InputLogEvent.builder()
                                    .timestamp(at)
                                    .message(line)
                                    .build()));
            Thread.sleep(120); // the command sees them arrive over several polls
        }
        aws.ecs().stopTask(r -> r.cluster(cluster).task(arn).reason("Essential container in task exited"));
        return aws.ecs()
                .describeTasks(r -> r.cluster(cluster).tasks(arn))
                .tasks()
                .get(0);
    }
}
