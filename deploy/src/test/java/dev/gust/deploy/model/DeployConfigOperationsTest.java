package dev.gust.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy.yaml's operating keys (iam, runtime_platform, ecr, ssl_policy,
 * deregistration_delay_seconds, autoscaling): defaults, what they make, and the one-line error of
 * each mistake, naming the key (and a statement's index).
 */
class DeployConfigOperationsTest {

    private static final Network NETWORK = new Network("vpc-1", List.of("subnet-a", "subnet-b"));
    private static final Account ACCOUNT = new Account("123456789012", "eu-west-1", "aws");
    private static final String IMAGE = "repo@sha256:" + "c".repeat(64);

    @TempDir
    Path dir;

    private DeployConfig load(String yaml) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, yaml);
        return DeployConfig.load(file, true);
    }

    private void refused(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(DeployException.class).hasMessage(message);
    }

    @Test
    void malformedStatementsAreRefusedNamingTheirIndexAndKey() {
        String valid = "    - {Effect: Allow, Action: s3:GetObject, Resource: \"arn:aws:s3:::b/*\"}\n";
        refused(
                "iam:\n  task_role_statements:\n" + valid
                        + "    - {Effect: allow, Action: s3:GetObject, Resource: \"*\"}\n",
                "deploy.yaml: iam.task_role_statements[1].Effect must be Allow or Deny (got allow)");
        refused(
                "iam:\n  task_role_statements:\n    - {Effect: Allow, Resource: \"*\"}\n",
                "deploy.yaml: iam.task_role_statements[0] needs Action (or NotAction), exactly one of them");
        refused(
                "iam:\n  task_role_statements:\n    - {Effect: Allow, Action: [], Resource: \"*\"}\n",
                "deploy.yaml: iam.task_role_statements[0].Action must be a string or a non-empty list of strings");
        refused(
                "iam:\n  task_role_statements:\n    - {Effect: Allow, Action: GetObject, Resource: \"*\"}\n",
                "deploy.yaml: iam.task_role_statements[0].Action 'GetObject' is not an action (service:Action, e.g."
                        + " s3:GetObject; * wildcards allowed)");
        refused(
                "iam:\n  task_role_statements:\n    - {Effect: Allow, Action: s3:GetObject, Resource: [mybucket]}\n",
                "deploy.yaml: iam.task_role_statements[0].Resource 'mybucket' is not an ARN (arn:...) or *");
        refused(
                "iam:\n  task_role_statements:\n    - {Effect: Allow, Action: s3:GetObject, Resource: \"*\","
                        + " Principal: \"*\"}\n",
                "deploy.yaml: iam.task_role_statements[0].Principal is not a statement key of a role policy (Sid,"
                        + " Effect, Action or NotAction, Resource or NotResource, Condition)");
        refused(
                "iam:\n  task_role_statements:\n    - {Effect: Allow, Action: s3:GetObject, Resource: \"*\","
                        + " Condition: yes}\n",
                "deploy.yaml: iam.task_role_statements[0].Condition must be a mapping of operators");
        refused(
                "iam:\n  task_role_policy_arns: [AmazonS3ReadOnlyAccess]\n",
                "deploy.yaml: iam.task_role_policy_arns[0] 'AmazonS3ReadOnlyAccess' is not a managed policy ARN"
                        + " (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)");
        refused(
                "iam:\n  ecs_run_task_definitions: [etl]\n",
                "deploy.yaml: iam.ecs_run_task_definitions[0] 'etl' is not a task definition ARN"
                        + " (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY[:REVISION|:*])");
        refused(
                "iam:\n  ecs_run_task_roles: [\"arn:aws:iam::123456789012:role/etl\"]\n",
                "deploy.yaml: iam.ecs_run_task_roles are passed to the task definitions in"
                        + " iam.ecs_run_task_definitions, which is empty");
        assertUnknownKeyNamed("iam:\n  task_role_statement: []\n", "task_role_statement");
    }

    /** An unknown key keeps Jackson's message, which names it. */
    private void assertUnknownKeyNamed(String yaml, String key) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(DeployException.class).hasMessageContaining(key);
    }

    @Test
    void theGrantsFollowGustsOwnStatementsInTheTaskPolicy() throws Exception {
        DeployConfig config = load("""
                iam:
                  task_role_policy_arns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
                  task_role_statements:
                    - {Sid: ReadBucket, Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
                  ecs_run_task_definitions:
                    - arn:aws:ecs:eu-west-1:123456789012:task-definition/etl
                    - arn:aws:ecs:eu-west-1:123456789012:task-definition/load:3
                  ecs_run_task_roles: ["arn:aws:iam::123456789012:role/etl"]
                """);
        Resource taskRole = DesiredState.compute(new Names("g"), config, NETWORK, ACCOUNT, IMAGE).stream()
                .filter(r -> r.name().equals("gust-g-task"))
                .findFirst()
                .orElseThrow();
        ResourceSpec.Role role = (ResourceSpec.Role) taskRole.spec();
        assertThat(role.managedPolicyArns()).containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        String document = role.policyDocument();
        assertThat(document.indexOf("\"Sid\":\"ReadWorkerLogs\""))
                .isPositive()
                .isLessThan(document.indexOf("\"Sid\":\"RunListedTasks\""));
        assertThat(document)
                .contains("task-definition/etl:*\",\"arn:aws:ecs:eu-west-1:123456789012:task-definition/load:3\"]")
                .contains("\"Sid\":\"ReadBucket\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"")
                .contains("\"Resource\":[\"arn:aws:ecs:eu-west-1:123456789012:task/*\"]");
    }

    @Test
    void runtimePlatformSetsTheBuildAndTheTaskDefinitions() throws Exception {
        DeployConfig arm = load("runtime_platform: arm64\n");
        assertThat(arm.imagePlatform()).isEqualTo("linux/arm64");
        assertThat(DesiredState.compute(new Names("p"), arm, NETWORK, ACCOUNT, IMAGE).stream()
                        .filter(r -> r.spec() instanceof ResourceSpec.TaskDefinition)
                        .map(r -> ((ResourceSpec.TaskDefinition) r.spec()).cpuArchitecture()))
                .containsExactly("ARM64", "ARM64", "ARM64");
        assertThat(load("runtime_platform: amd64\n").cpuArchitecture()).isEqualTo("X86_64");
        refused("runtime_platform: sparc\n", "deploy.yaml: runtime_platform 'sparc' is not one of x86_64, arm64");
    }

    @Test
    void autoscalingDefaultsAndLimits() throws Exception {
        DeployConfig config = load("webserver: {desired_count: 3, autoscaling: {max: 8}}\n");
        assertThat(config.webserver().autoscaling()).isEqualTo(new DeployConfig.Autoscaling(3, 8, null, 60));
        List<Resource> resources = DesiredState.compute(new Names("a"), config, NETWORK, ACCOUNT, IMAGE);
        assertThat(resources.stream()
                        .filter(r -> r.kind() == ResourceKind.SCALABLE_TARGET)
                        .map(Resource::spec))
                .containsExactly(new ResourceSpec.ScalableTarget("gust-a", "webserver", 3, 8, null, 60, null, null));
        assertThat(resources.stream()
                        .filter(r -> r.spec() instanceof ResourceSpec.Service)
                        .map(r -> ((ResourceSpec.Service) r.spec()).autoscaled()))
                .containsExactly(true, false);
        DeployConfig requests = load("webserver: {autoscaling: {min: 2, max: 4, requests_per_target: 300}}\n");
        assertThat(requests.webserver().autoscaling()).isEqualTo(new DeployConfig.Autoscaling(2, 4, 300, null));

        refused(
                "webserver: {autoscaling: {min: 3, max: 2}}\n",
                "deploy.yaml: webserver.autoscaling: needs 1 <= min <= max (got min 3, max 2)");
        refused(
                "scheduler: {autoscaling: {max: 4, requests_per_target: 10}}\n",
                "deploy.yaml: scheduler.autoscaling.requests_per_target: the scheduler gets no requests; scale it on"
                        + " cpu_percent");
        refused(
                "webserver: {autoscaling: {max: 4, cpu_percent: 120}}\n",
                "deploy.yaml: webserver.autoscaling.cpu_percent is 1 to 100 (got 120)");
        refused(
                "worker: {autoscaling: {max: 4}}\n",
                "deploy.yaml: worker.autoscaling: worker tasks are one-off tasks, not a service; scale webserver or"
                        + " scheduler");
    }

    @Test
    void productionDefaultsCanBeChanged() throws Exception {
        DeployConfig config = load("""
                ecr: {keep_images: 50}
                ssl_policy: ELBSecurityPolicy-TLS13-1-3-2021-06
                deregistration_delay_seconds: 60
                certificate_arn: arn:aws:acm:eu-west-1:1:certificate/x
                """);
        List<Resource> resources = DesiredState.compute(new Names("d"), config, NETWORK, ACCOUNT, IMAGE);
        assertThat(resources)
                .extracting(Resource::spec)
                .contains(new ResourceSpec.Repository(50))
                .anyMatch(s -> s instanceof ResourceSpec.TargetGroup tg && tg.deregistrationDelaySeconds() == 60)
                .anyMatch(s -> s instanceof ResourceSpec.Listener l
                        && l.port() == 443
                        && l.sslPolicy().equals("ELBSecurityPolicy-TLS13-1-3-2021-06"));
        refused("ecr: {keep_images: -1}\n", "deploy.yaml: ecr.keep_images must be at least 1 (got -1)");
        refused(
                "deregistration_delay_seconds: 7200\n",
                "deploy.yaml: deregistration_delay_seconds is 0 to 3600 (got 7200)");
    }
}
