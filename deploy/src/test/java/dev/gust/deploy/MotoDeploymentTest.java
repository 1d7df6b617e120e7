package dev.gust.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * {@code gust deploy} against moto_server: up from nothing, then every claim checked by
 * describing what exists with the SDK directly (not through the deploy code's own inventory):
 * task definitions, services, security group rules, IAM policies, secrets, logs, the load
 * balancer; then plan shows no change, a changed setting makes a new revision and a rolling
 * update, a name taken by an untagged resource is refused, and down leaves no tagged resource.
 */
class MotoDeploymentTest {

    private static final String IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/gust-t@sha256:" + "a".repeat(64);
    private static final String IMAGE_2 =
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/gust-t@sha256:" + "b".repeat(64);

    private static MotoServer moto;
    private static AwsClients aws;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void startMoto() throws Exception {
        // Every service's tasks "run" in moto as soon as it is created; the test config gives each
        // service 2 tasks so that this one number is right for both.
        moto = MotoServer.start(Map.of("MOTO_ECS_SERVICE_RUNNING", "2", "MOTO_IAM_LOAD_MANAGED_POLICIES", "true"));
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

    private static final ImagePublisher NO_BUILD = (repository, tag, login, build) -> {
        throw new AssertionError("--image was given: nothing may be built");
    };

    @Test
    void upThenPlanThenChangeThenDown(@TempDir Path dir) throws Exception {
        DeployConfig config = config(dir, "scheduler:\n  desired_count: 2\n");
        Deployment deployment = deployment("t", config);

        String url = deployment.up(Optional.of(IMAGE), NO_BUILD);
        assertThat(url).startsWith("http://");

        // --- task definitions, described independently
        ContainerDefinition web = container("gust-t-webserver");
        ContainerDefinition scheduler = container("gust-t-scheduler");
        ContainerDefinition worker = container("gust-t-worker");
        for (ContainerDefinition c : List.of(web, scheduler, worker)) {
            assertThat(c.image()).isEqualTo(IMAGE);
            assertThat(c.essential()).isTrue();
            assertThat(c.memory()).isEqualTo(1024);
            assertThat(c.stopTimeout()).isEqualTo(120);
            assertThat(c.logConfiguration().logDriverAsString()).isEqualTo("awslogs");
            assertThat(c.logConfiguration().options())
                    .containsEntry("awslogs-group", "/gust/t/" + c.name())
                    .containsEntry("awslogs-region", "us-east-1");
            Map<String, String> secrets =
                    c.secrets().stream().collect(Collectors.toMap(s -> s.name(), s -> s.valueFrom()));
            assertThat(secrets).containsKeys("GUST_DATABASE__URL", "GUST_SECURITY__ENCRYPTION_KEY");
            for (String arn : secrets.values()) {
                assertThat(aws.secrets().describeSecret(r -> r.secretId(arn)).tags())
                        .anyMatch(t ->
                                t.key().equals("gust:deployment") && t.value().equals("t"));
            }
            // no secret in plain environment variables
            assertThat(c.environment())
                    .noneMatch(e -> e.name().contains("DATABASE")
                            || e.name().contains("KEY")
                            || e.name().contains("PASSWORD"));
        }
        assertThat(web.healthCheck().command())
                .containsExactly("CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1");
        assertThat(web.healthCheck().interval()).isEqualTo(30);
        assertThat(web.healthCheck().timeout()).isEqualTo(5);
        assertThat(web.healthCheck().retries()).isEqualTo(3);
        assertThat(scheduler.healthCheck().command())
                .containsExactly("CMD-SHELL", "curl -fsS http://localhost:8974/health || exit 1");
        assertThat(scheduler.command()).containsExactly("scheduler");
        assertThat(web.command().get(0)).contains("db migrate").endsWith("exec /opt/gust/bin/gust webserver");
        assertThat(web.secrets()).anyMatch(s -> s.name().equals("GUST_ADMIN_PASSWORD"));
        var webTask = aws.ecs()
                .describeTaskDefinition(r -> r.taskDefinition("gust-t-webserver"))
                .taskDefinition();
        assertThat(webTask.requiresCompatibilitiesAsStrings()).contains("FARGATE");
        assertThat(webTask.networkModeAsString()).isEqualTo("awsvpc");
        assertThat(webTask.cpu()).isEqualTo("512");
        assertThat(webTask.memory()).isEqualTo("1024");
        assertThat(webTask.executionRoleArn()).endsWith(":role/gust-t-execution");
        assertThat(webTask.taskRoleArn()).endsWith(":role/gust-t-task");

        // --- security groups: the tasks are reachable only from the ALB's group
        SecurityGroup alb = group("gust-t-alb");
        SecurityGroup tasks = group("gust-t-tasks");
        SecurityGroup db = group("gust-t-db");
        assertThat(alb.ipPermissions()).extracting(IpPermission::fromPort).containsExactlyInAnyOrder(80, 443);
        assertThat(alb.ipPermissions())
                .allMatch(p -> p.ipRanges().stream().anyMatch(r -> r.cidrIp().equals("0.0.0.0/0")));
        assertOpenOnlyTo(tasks, 8080, alb);
        assertOpenOnlyTo(db, 5432, tasks);

        // --- the database: private, in the database group
        var instance = aws.rds()
                .describeDBInstances(r -> r.dbInstanceIdentifier("gust-t"))
                .dbInstances()
                .get(0);
        assertThat(instance.publiclyAccessible()).isFalse();
        assertThat(instance.engine()).isEqualTo("postgres");
        assertThat(instance.vpcSecurityGroups())
                .extracting(g -> g.vpcSecurityGroupId())
                .containsExactly(db.groupId());
        String databaseUrl = aws.secrets()
                .getSecretValue(r -> r.secretId("gust/t/database-url"))
                .secretString();
        assertThat(databaseUrl)
                .startsWith("postgresql://gust:")
                .contains("@" + instance.endpoint().address() + ":");

        // --- services
        Service webService = service("webserver");
        Service schedulerService = service("scheduler");
        var tg = aws.elb()
                .describeTargetGroups(r -> r.names("gust-t-web"))
                .targetGroups()
                .get(0);
        assertThat(tg.healthCheckPath()).isEqualTo("/health");
        assertThat(tg.port()).isEqualTo(8080);
        assertThat(tg.targetTypeAsString()).isEqualTo("ip");
        assertThat(webService.loadBalancers()).hasSize(1);
        assertThat(webService.loadBalancers().get(0).targetGroupArn()).isEqualTo(tg.targetGroupArn());
        assertThat(webService.loadBalancers().get(0).containerPort()).isEqualTo(8080);
        assertThat(schedulerService.loadBalancers()).isEmpty();
        for (Service s : List.of(webService, schedulerService)) {
            assertThat(s.desiredCount()).isEqualTo(2);
            assertThat(s.runningCount()).isEqualTo(2);
            assertThat(s.launchTypeAsString()).isEqualTo("FARGATE");
            assertThat(s.networkConfiguration().awsvpcConfiguration().securityGroups())
                    .containsExactly(tasks.groupId());
            assertThat(s.networkConfiguration().awsvpcConfiguration().subnets()).hasSizeGreaterThanOrEqualTo(2);
            // (moto does not model healthCheckGracePeriodSeconds: it is sent, and not checked here)
        }
        assertThat(webService.taskDefinition()).endsWith("gust-t-webserver:1");

        // --- load balancer and listener
        var lb = aws.elb()
                .describeLoadBalancers(r -> r.names("gust-t"))
                .loadBalancers()
                .get(0);
        assertThat(lb.schemeAsString()).isEqualTo("internet-facing");
        assertThat(lb.securityGroups()).containsExactly(alb.groupId());
        assertThat(url).isEqualTo("http://" + lb.dnsName());
        var listeners = aws.elb()
                .describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn()))
                .listeners();
        assertThat(listeners).hasSize(1);
        assertThat(listeners.get(0).port()).isEqualTo(80);
        assertThat(listeners.get(0).defaultActions().get(0).targetGroupArn()).isEqualTo(tg.targetGroupArn());

        // --- IAM: two roles, least privilege
        for (String role : List.of("gust-t-execution", "gust-t-task")) {
            String trust = URLDecoder.decode(
                    aws.iam().getRole(r -> r.roleName(role)).role().assumeRolePolicyDocument(), StandardCharsets.UTF_8);
            assertThat(trust).contains("ecs-tasks.amazonaws.com");
            assertThat(aws.iam().listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies())
                    .isEmpty();
            for (String policyName :
                    aws.iam().listRolePolicies(r -> r.roleName(role)).policyNames()) {
                String document = rolePolicy(role, policyName);
                for (JsonNode statement : new ObjectMapper().readTree(document).get("Statement")) {
                    List<String> actions = strings(statement.get("Action"));
                    assertThat(actions).noneMatch(a -> a.equals("*") || a.endsWith(":*"));
                    if (strings(statement.get("Resource")).contains("*")) {
                        // the one action without resource-level permissions
                        assertThat(actions).containsExactly("ecr:GetAuthorizationToken");
                    }
                }
            }
        }
        String taskPolicy = rolePolicy("gust-t-task", "gust-task");
        assertThat(taskPolicy)
                .contains("ecs:RunTask")
                .contains("task-definition/gust-t-worker:*")
                .contains("\"ecs:cluster\":\"arn:aws:ecs:us-east-1:123456789012:cluster/gust-t\"");
        String executionPolicy = rolePolicy("gust-t-execution", "gust-execution");
        assertThat(executionPolicy)
                .contains("secretsmanager:GetSecretValue")
                .contains("secret:gust/t/database-url-??????");

        // --- logs and cluster
        for (String component : List.of("webserver", "scheduler", "worker")) {
            var group = aws.logs()
                    .describeLogGroups(r -> r.logGroupNamePrefix("/gust/t/" + component))
                    .logGroups()
                    .get(0);
            assertThat(group.retentionInDays()).isEqualTo(30);
        }
        var cluster = aws.ecs()
                .describeClusters(r -> r.clusters("gust-t").includeWithStrings("SETTINGS"))
                .clusters()
                .get(0);
        assertThat(cluster.settings())
                .anyMatch(s -> s.nameAsString().equals("containerInsights")
                        && s.value().equals("enabled"));

        // --- a rule opened by hand is seen, and the next up closes it again
        aws.ec2()
                .authorizeSecurityGroupIngress(r -> r.groupId(tasks.groupId())
                        .ipProtocol("tcp")
                        .fromPort(8080)
                        .toPort(8080)
                        .cidrIp("0.0.0.0/0"));
        Plan drifted = deployment.plan(Optional.of(IMAGE));
        assertThat(drifted.names(PlanAction.Update.class)).containsExactly("gust-t-tasks");
        assertThat(drifted.render()).contains("update (changed outside gust deploy)");
        deployment.up(Optional.of(IMAGE), NO_BUILD);
        assertThat(group("gust-t-tasks").ipPermissions())
                .singleElement()
                .satisfies(p -> assertThat(p.ipRanges()).isEmpty())
                .satisfies(p -> assertThat(p.userIdGroupPairs())
                        .extracting(g -> g.groupId())
                        .containsExactly(alb.groupId()));

        // --- re-running changes nothing
        Plan again = deployment.plan(Optional.of(IMAGE));
        assertThat(again.hasChanges()).as(again.render()).isFalse();
        assertThat(deployment.plan(Optional.empty()).hasChanges())
                .as("plan without --image keeps the deployed image")
                .isFalse();
        deployment.up(Optional.of(IMAGE), NO_BUILD);
        assertThat(aws.ecs()
                        .describeTaskDefinition(r -> r.taskDefinition("gust-t-webserver"))
                        .taskDefinition()
                        .revision())
                .isEqualTo(1);

        // --- a new image and a changed setting: new revisions, rolling update of the services
        DeployConfig changed = config(dir, "scheduler:\n  desired_count: 2\nlog_retention_days: 14\n");
        Deployment changedDeployment = deployment("t", changed);
        Plan changes = changedDeployment.plan(Optional.of(IMAGE_2));
        assertThat(changes.names(PlanAction.Update.class))
                .contains(
                        "gust-t-webserver",
                        "gust-t-scheduler",
                        "gust-t-worker",
                        "webserver",
                        "scheduler",
                        "/gust/t/worker")
                .doesNotContain("gust-t-alb", "gust-t");
        assertThat(changes.count(PlanAction.Create.class)).isZero();
        assertThat(changes.count(PlanAction.Delete.class)).isZero();
        changedDeployment.up(Optional.of(IMAGE_2), NO_BUILD);
        var revised = aws.ecs()
                .describeTaskDefinition(r -> r.taskDefinition("gust-t-webserver"))
                .taskDefinition();
        assertThat(revised.revision()).isEqualTo(2);
        assertThat(revised.containerDefinitions().get(0).image()).isEqualTo(IMAGE_2);
        Service updated = service("webserver");
        assertThat(updated.taskDefinition()).endsWith("gust-t-webserver:2");
        var deploymentConfiguration = updated.deploymentConfiguration();
        assertThat(deploymentConfiguration.deploymentCircuitBreaker().enable()).isTrue();
        assertThat(deploymentConfiguration.deploymentCircuitBreaker().rollback())
                .isTrue();
        assertThat(deploymentConfiguration.minimumHealthyPercent()).isEqualTo(100);
        assertThat(aws.logs()
                        .describeLogGroups(r -> r.logGroupNamePrefix("/gust/t/worker"))
                        .logGroups()
                        .get(0)
                        .retentionInDays())
                .isEqualTo(14);
        Plan afterChange = changedDeployment.plan(Optional.of(IMAGE_2));
        assertThat(afterChange.hasChanges()).as(afterChange.render()).isFalse();

        // --- status
        String status = changedDeployment.status();
        assertThat(status)
                .contains("service webserver")
                .contains("desired 2, running 2")
                .contains("url: " + url);

        // --- down: nothing tagged is left
        assertThat(changedDeployment.down()).isGreaterThan(20);
        assertNothingTagged("t");
        assertThat(changedDeployment.down()).isZero();
    }

    /**
     * A run that fails halfway (AWS refuses the target group: its health check timeout exceeds
     * the interval) leaves what it made; the next run with a fixed config finishes the rest. The
     * same deployment covers HTTPS with a certificate and a database given by URL.
     */
    @Test
    void aRunThatFailsHalfwayIsFinishedByTheNext(@TempDir Path dir) throws Exception {
        String certificate;
        try (var acm = software.amazon.awssdk.services.acm.AcmClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            certificate = acm.requestCertificate(r -> r.domainName("gust.example.com"))
                    .certificateArn();
        }
        String base = """
                scheduler: {desired_count: 2}
                database: {url: "postgresql://app:pw@db.example.com:5432/gust"}
                certificate_arn: %s
                """.formatted(certificate);
        Deployment broken =
                deployment("r", config(dir, base + "health_check: {interval_seconds: 10, timeout_seconds: 20}\n"));
        assertThatThrownBy(() -> broken.up(Optional.of(IMAGE), NO_BUILD))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("elasticloadbalancing:CreateTargetGroup on gust-r-web failed");
        assertThat(group("gust-r-tasks").ipPermissions()).hasSize(1);

        Deployment fixed = deployment("r", config(dir, base));
        Plan rest = fixed.plan(Optional.of(IMAGE));
        assertThat(rest.names(PlanAction.Create.class))
                .containsExactly(
                        "gust-r-web",
                        "gust-r-https",
                        "gust-r-http",
                        "webserver",
                        "scheduler",
                        // the alarms (none on a given database) and the dashboard come last
                        "gust-r-webserver-unhealthy",
                        "gust-r-target-5xx",
                        "gust-r-webserver-below-desired",
                        "gust-r-scheduler-below-desired",
                        "gust-r-no-scheduler-heartbeat",
                        "gust-r-queued-too-long",
                        "gust-r");
        assertThat(rest.names(PlanAction.Update.class)).containsExactly("gust-r-webserver", "gust-r-scheduler");
        String url = fixed.up(Optional.of(IMAGE), NO_BUILD);
        assertThat(url).startsWith("https://");
        assertThat(fixed.plan(Optional.of(IMAGE)).hasChanges()).isFalse();

        // no RDS; the given URL is the secret the tasks get
        assertThat(aws.rds().describeDBInstances().dbInstances())
                .noneMatch(i -> i.dbInstanceIdentifier().equals("gust-r"));
        assertThat(aws.secrets()
                        .getSecretValue(r -> r.secretId("gust/r/database-url"))
                        .secretString())
                .isEqualTo("postgresql://app:pw@db.example.com:5432/gust");
        // HTTPS forwards, HTTP redirects to it
        var lb = aws.elb()
                .describeLoadBalancers(r -> r.names("gust-r"))
                .loadBalancers()
                .get(0);
        var listeners = aws.elb()
                .describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn()))
                .listeners();
        var https = listeners.stream().filter(l -> l.port() == 443).findFirst().orElseThrow();
        var http = listeners.stream().filter(l -> l.port() == 80).findFirst().orElseThrow();
        assertThat(https.protocolAsString()).isEqualTo("HTTPS");
        assertThat(https.certificates()).extracting(c -> c.certificateArn()).contains(certificate);
        assertThat(https.defaultActions().get(0).typeAsString()).isEqualTo("forward");
        assertThat(http.defaultActions().get(0).typeAsString()).isEqualTo("redirect");
        assertThat(http.defaultActions().get(0).redirectConfig().protocol()).isEqualTo("HTTPS");

        fixed.down();
        assertNothingTagged("r");
    }

    /**
     * Without --image, up makes the ECR repository first, logs in with GetAuthorizationToken's
     * token and deploys what the publisher pushed, by digest. The publisher here records its
     * arguments instead of running docker (moto has no layer upload); its commands are tested in
     * ContainerCliPublisherTest. deploy.yaml's python_requirements reach the publisher.
     */
    @Test
    void withoutAnImageUpPushesToItsOwnRepositoryAndDeploysTheDigest(@TempDir Path dir) throws Exception {
        List<String> calls = new ArrayList<>();
        List<String> requirements = new ArrayList<>();
        ImagePublisher recording = (repository, tag, login, build) -> {
            calls.add(repository + " " + login.registry() + " " + login.username() + " "
                    + !login.password().isEmpty() + " " + build.platform());
            requirements.add(build.pythonRequirements());
            return repository + "@sha256:" + "9".repeat(64);
        };
        Files.writeString(dir.resolve("requirements.txt"), "# for the Python tasks\npandas==2.2.2\n\nrequests>=2.31\n");
        Deployment deployment =
                deployment("b", config(dir, "scheduler: {desired_count: 2}\npython_requirements: requirements.txt\n"));
        deployment.up(Optional.empty(), recording);

        var repository = aws.ecr()
                .describeRepositories(r -> r.repositoryNames("gust-b"))
                .repositories()
                .get(0);
        assertThat(calls)
                .singleElement()
                .asString()
                .startsWith(repository.repositoryUri() + " ")
                .doesNotContain("https://")
                .endsWith(" AWS true linux/amd64");
        assertThat(requirements)
                .as("deploy.yaml's python_requirements file goes to the image build")
                .containsExactly("pandas==2.2.2\nrequests>=2.31\n");
        assertThat(container("gust-b-scheduler").image())
                .isEqualTo(repository.repositoryUri() + "@sha256:" + "9".repeat(64));
        assertThat(deployment.plan(Optional.empty()).hasChanges())
                .as("plan keeps the pushed image")
                .isFalse();
        deployment.down();
        assertNothingTagged("b");
    }

    @Test
    void aNameTakenByAResourceThatIsNotOursIsRefused(@TempDir Path dir) throws Exception {
        String vpc = aws.ec2()
                .describeVpcs(r -> r.filters(
                        Filter.builder().name("isDefault").values("true").build()))
                .vpcs()
                .get(0)
                .vpcId();
        String groupId = aws.ec2()
                .createSecurityGroup(r -> r.groupName("gust-other-tasks")
                        .description("someone else's")
                        .vpcId(vpc))
                .groupId();
        try {
            Deployment other = deployment("other", DeployConfig.defaults());
            assertThatThrownBy(() -> other.plan(Optional.of(IMAGE)))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining(
                            "'gust-other-tasks' is taken by a resource that is not part of deployment 'other'");
            assertThatThrownBy(() -> other.up(Optional.of(IMAGE), NO_BUILD)).isInstanceOf(DeployException.class);
            // the untagged group is untouched and nothing was made
            assertThat(aws.ec2()
                            .describeSecurityGroups(r -> r.groupIds(groupId))
                            .securityGroups()
                            .get(0)
                            .description())
                    .isEqualTo("someone else's");
            assertNothingTagged("other");
        } finally {
            aws.ec2().deleteSecurityGroup(r -> r.groupId(groupId));
        }
    }

    /**
     * network.create_vpc: up makes the VPC, its subnets, gateways and routes, puts the ALB in the
     * public subnets and the tasks (without public IPs) and RDS in the private ones; a route a
     * run left unfinished is finished by the next; down removes the network after what uses it.
     */
    @Test
    void createVpcMakesAPublicAndPrivateNetworkAndDownRemovesIt(@TempDir Path dir) throws Exception {
        // EC2 Name tags are not unique: someone else's VPC called gust-v is neither adopted nor touched.
        String foreign = aws.ec2()
                .createVpc(r -> r.cidrBlock("10.9.0.0/16")
                        .tagSpecifications(t -> t.resourceType("vpc")
                                .tags(software.amazon.awssdk.services.ec2.model.Tag.builder()
                                        .key("Name")
                                        .value("gust-v")
                                        .build())))
                .vpc()
                .vpcId();
        Deployment deployment = deployment(
                "v", config(dir, "network: {create_vpc: true}\nscheduler: {desired_count: 2}\nexecutor: ecs\n"));
        Plan first = deployment.plan(Optional.of(IMAGE));
        assertThat(first.names(PlanAction.Create.class))
                .startsWith(
                        "gust-v",
                        "gust-v",
                        "gust-v-public-a",
                        "gust-v-public-b",
                        "gust-v-private-a",
                        "gust-v-private-b",
                        "gust-v-nat",
                        "gust-v",
                        "gust-v-public",
                        "gust-v-private");
        deployment.up(Optional.of(IMAGE), NO_BUILD);

        // --- the VPC, by tag, described independently
        var vpc = aws.ec2()
                .describeVpcs(r -> r.filters(tag("gust:deployment", "v")))
                .vpcs();
        assertThat(vpc).singleElement().satisfies(v -> assertThat(v.cidrBlock()).isEqualTo("10.0.0.0/16"));
        String vpcId = vpc.get(0).vpcId();
        assertThat(aws.ec2()
                        .describeVpcAttribute(r -> r.vpcId(vpcId).attribute("enableDnsHostnames"))
                        .enableDnsHostnames()
                        .value())
                .isTrue();
        assertThat(aws.ec2()
                        .describeVpcAttribute(r -> r.vpcId(vpcId).attribute("enableDnsSupport"))
                        .enableDnsSupport()
                        .value())
                .isTrue();

        var subnets = aws.ec2()
                .describeSubnets(r ->
                        r.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
                .subnets();
        Map<String, software.amazon.awssdk.services.ec2.model.Subnet> byName =
                subnets.stream().collect(Collectors.toMap(s -> nameTag(s.tags()), s -> s));
        assertThat(byName)
                .containsOnlyKeys("gust-v-public-a", "gust-v-public-b", "gust-v-private-a", "gust-v-private-b");
        assertThat(subnets).extracting(s -> s.availabilityZone()).containsOnly("us-east-1a", "us-east-1b");
        assertThat(byName.get("gust-v-public-a").availabilityZone())
                .isNotEqualTo(byName.get("gust-v-public-b").availabilityZone());
        assertThat(byName.get("gust-v-private-a").availabilityZone())
                .isNotEqualTo(byName.get("gust-v-private-b").availabilityZone());
        assertThat(subnets)
                .extracting(s -> s.cidrBlock())
                .containsExactlyInAnyOrder("10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20");
        List<String> publicIds = List.of(
                byName.get("gust-v-public-a").subnetId(),
                byName.get("gust-v-public-b").subnetId());
        List<String> privateIds = List.of(
                byName.get("gust-v-private-a").subnetId(),
                byName.get("gust-v-private-b").subnetId());

        var igw = aws.ec2()
                .describeInternetGateways(r -> r.filters(
                        Filter.builder().name("attachment.vpc-id").values(vpcId).build()))
                .internetGateways();
        assertThat(igw)
                .singleElement()
                .satisfies(g -> assertThat(nameTag(g.tags())).isEqualTo("gust-v"));
        var nat = aws.ec2()
                .describeNatGateways(r ->
                        r.filter(Filter.builder().name("vpc-id").values(vpcId).build()))
                .natGateways();
        assertThat(nat).singleElement().satisfies(n -> {
            assertThat(n.subnetId()).isEqualTo(publicIds.get(0));
            assertThat(n.stateAsString()).isEqualTo("available");
        });
        String natAllocation = nat.get(0).natGatewayAddresses().get(0).allocationId();
        assertThat(aws.ec2()
                        .describeAddresses(r -> r.allocationIds(natAllocation))
                        .addresses()
                        .get(0)
                        .tags())
                .anyMatch(t -> t.key().equals("gust:deployment") && t.value().equals("v"));

        var publicRoutes = routeTable("gust-v-public");
        assertThat(publicRoutes.routes())
                .filteredOn(r -> "0.0.0.0/0".equals(r.destinationCidrBlock()))
                .singleElement()
                .satisfies(r -> assertThat(r.gatewayId()).isEqualTo(igw.get(0).internetGatewayId()));
        assertThat(publicRoutes.associations())
                .extracting(a -> a.subnetId())
                .containsExactlyInAnyOrderElementsOf(publicIds);
        var privateRoutes = routeTable("gust-v-private");
        assertThat(privateRoutes.routes())
                .filteredOn(r -> "0.0.0.0/0".equals(r.destinationCidrBlock()))
                .singleElement()
                .satisfies(
                        r -> assertThat(r.natGatewayId()).isEqualTo(nat.get(0).natGatewayId()));
        assertThat(privateRoutes.associations())
                .extracting(a -> a.subnetId())
                .containsExactlyInAnyOrderElementsOf(privateIds);

        // --- what runs in it: ALB public; tasks private without public IPs; RDS private
        var lb = aws.elb()
                .describeLoadBalancers(r -> r.names("gust-v"))
                .loadBalancers()
                .get(0);
        assertThat(lb.vpcId()).isEqualTo(vpcId);
        assertThat(lb.availabilityZones()).extracting(z -> z.subnetId()).containsExactlyInAnyOrderElementsOf(publicIds);
        for (String name : List.of("webserver", "scheduler")) {
            var awsvpc = aws.ecs()
                    .describeServices(r -> r.cluster("gust-v").services(name))
                    .services()
                    .get(0)
                    .networkConfiguration()
                    .awsvpcConfiguration();
            assertThat(awsvpc.subnets()).as(name).containsExactlyInAnyOrderElementsOf(privateIds);
            assertThat(awsvpc.assignPublicIpAsString()).as(name).isEqualTo("DISABLED");
        }
        assertThat(aws.rds()
                        .describeDBSubnetGroups(r -> r.dbSubnetGroupName("gust-v"))
                        .dbSubnetGroups()
                        .get(0)
                        .subnets())
                .extracting(s -> s.subnetIdentifier())
                .containsExactlyInAnyOrderElementsOf(privateIds);
        assertThat(group("gust-v-tasks").vpcId()).isEqualTo(vpcId);

        // --- executor: ecs: the scheduler launches worker tasks into the private subnets with the tasks' group
        Map<String, String> schedulerEnv = container("gust-v-scheduler").environment().stream()
                .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
        assertThat(schedulerEnv)
                .containsEntry("GUST_CORE__EXECUTOR", "ecs")
                .containsEntry("GUST_ECS__CLUSTER", "gust-v")
                .containsEntry("GUST_ECS__TASK_DEFINITION", "gust-v-worker")
                .containsEntry("GUST_ECS__CONTAINER_NAME", "worker")
                .containsEntry(
                        "GUST_ECS__SECURITY_GROUPS", group("gust-v-tasks").groupId())
                .containsEntry("GUST_ECS__ASSIGN_PUBLIC_IP", "false");
        assertThat(List.of(schedulerEnv.get("GUST_ECS__SUBNETS").split(",")))
                .containsExactlyInAnyOrderElementsOf(privateIds);
        assertThat(container("gust-v-webserver").environment())
                .anyMatch(
                        e -> e.name().equals("GUST_CORE__EXECUTOR") && e.value().equals("local"));

        // --- re-running converges
        Plan again = deployment.plan(Optional.of(IMAGE));
        assertThat(again.hasChanges()).as(again.render()).isFalse();

        // --- a run that stopped before the private default route (no fingerprint yet) is finished by the next
        aws.ec2().deleteRoute(r -> r.routeTableId(privateRoutes.routeTableId()).destinationCidrBlock("0.0.0.0/0"));
        aws.ec2().deleteTags(r -> r.resources(privateRoutes.routeTableId()).tags(t -> t.key("gust:fingerprint")));
        Plan unfinished = deployment.plan(Optional.of(IMAGE));
        assertThat(unfinished.names(PlanAction.Update.class)).containsExactly("gust-v-private");
        assertThat(unfinished.count(PlanAction.Create.class)).isZero();
        deployment.up(Optional.of(IMAGE), NO_BUILD);
        assertThat(routeTable("gust-v-private").routes())
                .filteredOn(r -> "0.0.0.0/0".equals(r.destinationCidrBlock()))
                .singleElement()
                .satisfies(
                        r -> assertThat(r.natGatewayId()).isEqualTo(nat.get(0).natGatewayId()));
        assertThat(aws.ec2()
                        .describeVpcs(r -> r.filters(tag("gust:deployment", "v")))
                        .vpcs())
                .hasSize(1);

        assertThat(deployment.down()).isGreaterThan(30);
        assertNothingTagged("v");
        assertThat(aws.ec2().describeAddresses().addresses()).noneMatch(a -> natAllocation.equals(a.allocationId()));
        assertThat(aws.ec2().describeVpcs(r -> r.vpcIds(foreign)).vpcs())
                .singleElement()
                .satisfies(v -> assertThat(v.cidrBlock()).isEqualTo("10.9.0.0/16"));
        aws.ec2().deleteVpc(r -> r.vpcId(foreign));
    }

    @Test
    void anImageNotGivenByDigestIsRefused() {
        Deployment deployment = deployment("d", DeployConfig.defaults());
        assertThatThrownBy(() -> deployment.up(Optional.of("gust:latest"), NO_BUILD))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("by digest");
    }

    /** Asks each service, by tag where it can filter by tag, for anything of deployment {@code name}. */
    /** The document of the role's inline policy, which IAM returns URL-encoded. */
    private static String rolePolicy(String role, String policyName) {
        return URLDecoder.decode(
                aws.iam()
                        .getRolePolicy(r -> r.roleName(role).policyName(policyName))
                        .policyDocument(),
                StandardCharsets.UTF_8);
    }

    /** {@code group} lets in {@code port} from members of {@code source} and nothing else. */
    private static void assertOpenOnlyTo(SecurityGroup group, int port, SecurityGroup source) {
        assertThat(group.ipPermissions()).hasSize(1);
        assertThat(group.ipPermissions().get(0).fromPort()).isEqualTo(port);
        assertThat(group.ipPermissions().get(0).ipRanges()).isEmpty();
        assertThat(group.ipPermissions().get(0).userIdGroupPairs())
                .extracting(p -> p.groupId())
                .containsExactly(source.groupId());
    }

    private static void assertNothingTagged(String name) {
        Filter ours = tag("gust:deployment", name);
        assertThat(aws.ec2().describeVpcs(r -> r.filters(ours)).vpcs()).isEmpty();
        assertThat(aws.ec2().describeSubnets(r -> r.filters(ours)).subnets()).isEmpty();
        assertThat(aws.ec2().describeInternetGateways(r -> r.filters(ours)).internetGateways())
                .isEmpty();
        assertThat(aws.ec2().describeRouteTables(r -> r.filters(ours)).routeTables())
                .isEmpty();
        assertThat(aws.ec2().describeAddresses(r -> r.filters(ours)).addresses())
                .isEmpty();
        // a deleted NAT gateway stays describable as deleted for a while, as in AWS
        assertThat(aws.ec2().describeNatGateways(r -> {}).natGateways())
                .filteredOn(n -> n.tags().stream()
                        .anyMatch(t ->
                                t.key().equals("gust:deployment") && t.value().equals(name)))
                .allMatch(n -> n.stateAsString().equals("deleted"));
        assertThat(aws.ec2()
                        .describeSecurityGroups(r -> r.filters(Filter.builder()
                                .name("tag:gust:deployment")
                                .values(name)
                                .build()))
                        .securityGroups())
                .isEmpty();
        // a deleted cluster stays describable as INACTIVE for a while, as in AWS
        assertThat(aws.ecs().describeClusters(r -> r.clusters("gust-" + name)).clusters())
                .noneMatch(c -> c.status().equals("ACTIVE"));
        assertThat(aws.ecs()
                        .listTaskDefinitions(
                                r -> r.familyPrefix("gust-" + name + "-").status("ACTIVE"))
                        .taskDefinitionArns())
                .isEmpty();
        assertThat(aws.rds().describeDBInstances().dbInstances())
                .noneMatch(i -> i.dbInstanceIdentifier().equals("gust-" + name));
        assertThat(aws.rds().describeDBSubnetGroups().dbSubnetGroups())
                .noneMatch(g -> g.dbSubnetGroupName().equals("gust-" + name));
        assertThat(aws.secrets().listSecrets().secretList())
                .noneMatch(s -> s.tags().stream()
                        .anyMatch(t ->
                                t.key().equals("gust:deployment") && t.value().equals(name)));
        assertThat(aws.iam().listRoles().roles()).noneMatch(r -> r.roleName().startsWith("gust-" + name + "-"));
        assertThat(aws.logs()
                        .describeLogGroups(r -> r.logGroupNamePrefix("/gust/" + name + "/"))
                        .logGroups())
                .isEmpty();
        assertThat(aws.elb().describeLoadBalancers().loadBalancers())
                .noneMatch(l -> l.loadBalancerName().equals("gust-" + name));
        assertThat(aws.elb().describeTargetGroups().targetGroups())
                .noneMatch(t -> t.targetGroupName().startsWith("gust-" + name + "-"));
        assertThat(aws.ecr().describeRepositories().repositories())
                .noneMatch(r -> r.repositoryName().equals("gust-" + name));
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static ContainerDefinition container(String family) {
        return aws.ecs()
                .describeTaskDefinition(r -> r.taskDefinition(family))
                .taskDefinition()
                .containerDefinitions()
                .get(0);
    }

    private static SecurityGroup group(String name) {
        return aws.ec2()
                .describeSecurityGroups(r -> r.filters(
                        Filter.builder().name("group-name").values(name).build()))
                .securityGroups()
                .get(0);
    }

    private static Filter tag(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }

    private static String nameTag(List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
        return tags.stream()
                .filter(t -> t.key().equals("Name"))
                .map(t -> t.value())
                .findFirst()
                .orElse(null);
    }

    private static software.amazon.awssdk.services.ec2.model.RouteTable routeTable(String name) {
        return aws.ec2()
                .describeRouteTables(r -> r.filters(tag("Name", name)))
                .routeTables()
                .get(0);
    }

    private static Service service(String name) {
        return aws.ecs()
                .describeServices(r -> r.cluster("gust-t").services(name))
                .services()
                .get(0);
    }
}
