package dev.gust.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desired resources from deploy.yaml: defaults, names, and what the specs say. */
class DesiredStateTest {

    private static final Network NETWORK = new Network("vpc-1", List.of("subnet-a", "subnet-b"));
    private static final Account ACCOUNT = new Account("123456789012", "eu-west-1", "aws");
    private static final String IMAGE = "repo@sha256:" + "c".repeat(64);

    @Test
    void defaultsAreTheDocumentedOnes() {
        DeployConfig config = DeployConfig.defaults();
        assertThat(config.webserver()).isEqualTo(new DeployConfig.Component(512, 1024, 2));
        assertThat(config.scheduler().desiredCount()).isEqualTo(2);
        assertThat(config.runtimePlatform()).isEqualTo("x86_64");
        assertThat(config.imagePlatform()).isEqualTo("linux/amd64");
        assertThat(config.ecr().keepImages()).isEqualTo(20);
        assertThat(config.deregistrationDelaySeconds()).isEqualTo(30);
        assertThat(config.sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
        assertThat(config.webserver().autoscaling()).isNull();
        assertThat(config.logRetentionDays()).isEqualTo(30);
        assertThat(config.healthCheck()).isEqualTo(new DeployConfig.HealthCheck(30, 5, 3, 60));
        assertThat(config.stopTimeoutSeconds()).isEqualTo(120);
        assertThat(config.healthCheckGracePeriodSeconds()).isEqualTo(60);
        assertThat(config.database().instanceClass()).isEqualTo("db.t4g.micro");
        assertThat(config.network().assignPublicIp()).isTrue();
    }

    @Test
    void yamlOverridesAndRejectsUnknownKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, """
                webserver: {cpu: 1024, memory: 2048, desired_count: 3}
                log_retention_days: 7
                certificate_arn: arn:aws:acm:eu-west-1:1:certificate/x
                """);
        DeployConfig config = DeployConfig.load(file, true);
        assertThat(config.webserver()).isEqualTo(new DeployConfig.Component(1024, 2048, 3));
        assertThat(config.scheduler()).isEqualTo(new DeployConfig.Component(512, 1024, 2));
        assertThat(config.logRetentionDays()).isEqualTo(7);

        Files.writeString(file, "log_retention: 7\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("log_retention");
        Files.writeString(file, "scheduler: {cpu: 512, memory: 512}\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("scheduler cpu 512 with memory 512 MiB is not a Fargate size");
        Files.writeString(file, "stop_timeout_seconds: 300\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("at most 120");
        Files.writeString(file, "environment: {GUST_DATABASE__URL: x}\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true)).hasMessageContaining("Secrets Manager");
        Files.writeString(file, "executor: kubernetes\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true))
                .hasMessage("deploy.yaml: executor 'kubernetes' is not one of local, ecs");
        Files.writeString(file, "environment: {GUST_CORE__EXECUTOR: ecs}\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true))
                .hasMessageContaining("choose the executor with 'executor: local|ecs'");
        assertThat(DeployConfig.load(dir.resolve("absent.yaml"), false)).isEqualTo(DeployConfig.defaults());
        assertThat(DeployConfig.defaults().executor()).isEqualTo("local");
    }

    @Test
    void deploymentNamesFitTheShortestAwsNameLimit() {
        assertThat(new Names("prod").loadBalancer()).isEqualTo("gust-prod");
        assertThat(new Names("a".repeat(20)).targetGroup()).hasSizeLessThanOrEqualTo(32);
        assertThatThrownBy(() -> new Names("a".repeat(21))).isInstanceOf(DeployException.class);
        assertThatThrownBy(() -> new Names("Prod")).isInstanceOf(DeployException.class);
        assertThatThrownBy(() -> new Names("prod-")).isInstanceOf(DeployException.class);
    }

    @Test
    void createVpcMakesTheNetworkFirstAndPutsTheAlbPublicAndTheRestPrivate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, "network: {create_vpc: true, cidr: 172.20.0.0/20}\n");
        DeployConfig config = DeployConfig.load(file, true);
        assertThat(config.network().assignPublicIp())
                .as("private subnets: no public IPs by default")
                .isFalse();
        Names names = new Names("n");
        Network network = Network.owned(names, List.of("eu-west-1a", "eu-west-1b"));
        List<Resource> resources = DesiredState.compute(names, config, network, ACCOUNT, IMAGE);

        // every network resource before anything that uses it (ResourceKind order is creation order)
        assertThat(resources.subList(0, 10))
                .extracting(Resource::kind)
                .containsExactly(
                        ResourceKind.VPC,
                        ResourceKind.INTERNET_GATEWAY,
                        ResourceKind.SUBNET,
                        ResourceKind.SUBNET,
                        ResourceKind.SUBNET,
                        ResourceKind.SUBNET,
                        ResourceKind.ELASTIC_IP,
                        ResourceKind.NAT_GATEWAY,
                        ResourceKind.ROUTE_TABLE,
                        ResourceKind.ROUTE_TABLE);
        assertThat(resources.get(0).spec()).isEqualTo(new ResourceSpec.Vpc("172.20.0.0/20", true, true));
        assertThat(resources.subList(2, 6))
                .extracting(Resource::spec)
                .containsExactly(
                        new ResourceSpec.Subnet("gust-n", "172.20.0.0/24", "eu-west-1a", true),
                        new ResourceSpec.Subnet("gust-n", "172.20.1.0/24", "eu-west-1b", true),
                        new ResourceSpec.Subnet("gust-n", "172.20.2.0/24", "eu-west-1a", false),
                        new ResourceSpec.Subnet("gust-n", "172.20.3.0/24", "eu-west-1b", false));
        assertThat(resources.get(7).spec()).isEqualTo(new ResourceSpec.NatGateway("gust-n-public-a", "gust-n-nat"));
        assertThat(resources.subList(8, 10))
                .extracting(Resource::spec)
                .containsExactly(
                        new ResourceSpec.RouteTable(
                                "gust-n", List.of("gust-n-public-a", "gust-n-public-b"), "gust-n", null),
                        new ResourceSpec.RouteTable(
                                "gust-n", List.of("gust-n-private-a", "gust-n-private-b"), null, "gust-n"));

        List<String> privateSubnets = List.of("gust-n-private-a", "gust-n-private-b");
        assertThat(spec(resources, ResourceSpec.LoadBalancer.class))
                .singleElement()
                .satisfies(l -> assertThat(l.subnetIds()).containsExactly("gust-n-public-a", "gust-n-public-b"));
        assertThat(spec(resources, ResourceSpec.Service.class)).hasSize(2).allSatisfy(s -> {
            assertThat(s.subnetIds()).isEqualTo(privateSubnets);
            assertThat(s.assignPublicIp()).isFalse();
        });
        assertThat(spec(resources, ResourceSpec.DbSubnetGroup.class))
                .singleElement()
                .satisfies(g -> assertThat(g.subnetIds()).isEqualTo(privateSubnets));
        assertThat(spec(resources, ResourceSpec.SecurityGroup.class))
                .allSatisfy(g -> assertThat(g.vpcId()).isEqualTo("gust-n"));

        // without create_vpc, nothing of the kind
        assertThat(DesiredState.compute(names, DeployConfig.defaults(), NETWORK, ACCOUNT, IMAGE))
                .noneMatch(r -> r.kind().ordinal() < ResourceKind.REPOSITORY.ordinal());
    }

    @Test
    void createVpcRefusesWhatContradictsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        for (String yaml : List.of(
                "network: {create_vpc: true, vpc_id: vpc-1}", "network: {create_vpc: true, subnet_ids: [a, b]}")) {
            Files.writeString(file, yaml + "\n");
            assertThatThrownBy(() -> DeployConfig.load(file, true)).as(yaml).hasMessageContaining("give neither");
        }
        Files.writeString(file, "network: {create_vpc: true, assign_public_ip: true}\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true)).hasMessageContaining("no public IP");
        Files.writeString(file, "network: {create_vpc: true, cidr: 10.0.0.0/26}\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true)).hasMessageContaining("/16 to /24");
        Files.writeString(file, "network: {create_vpc: true, cidr: 10.0.1.0/16}\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true)).hasMessageContaining("host bits");
        Files.writeString(file, "network: {create_vpc: true, cidr: 10.0.300.0/16}\n");
        assertThatThrownBy(() -> DeployConfig.load(file, true)).hasMessageContaining("not an IPv4 block");
        // the default block, split in sixteenths
        assertThat(Cidr.subnet("10.0.0.0/16", 3)).isEqualTo("10.0.48.0/20");
    }

    private static <T> List<T> spec(List<Resource> resources, Class<T> type) {
        return resources.stream()
                .map(Resource::spec)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    @Test
    void httpsWithACertificateRedirectsHttp() {
        DeployConfig https = DeployConfigs.withCertificate("arn:aws:acm:eu-west-1:1:certificate/x");
        List<Resource> resources = DesiredState.compute(new Names("s"), https, NETWORK, ACCOUNT, IMAGE);
        List<ResourceSpec.Listener> listeners = resources.stream()
                .filter(r -> r.spec() instanceof ResourceSpec.Listener)
                .map(r -> (ResourceSpec.Listener) r.spec())
                .toList();
        assertThat(listeners)
                .containsExactly(
                        new ResourceSpec.Listener(
                                "gust-s",
                                443,
                                "HTTPS",
                                "arn:aws:acm:eu-west-1:1:certificate/x",
                                "gust-s-web",
                                false,
                                "ELBSecurityPolicy-TLS13-1-2-2021-06"),
                        new ResourceSpec.Listener("gust-s", 80, "HTTP", null, null, true, null));
    }

    @Test
    void theWebserverTrustsForwardingHeadersFromItsVpcOnly() {
        DeployConfig config = DeployConfig.defaults();
        List<Resource> resources = DesiredState.compute(new Names("t"), config, NETWORK, ACCOUNT, IMAGE);
        ResourceSpec.TaskDefinition web = taskDefinition(resources, "gust-t-webserver");
        assertThat(web.environment())
                .containsEntry("GUST_WEBSERVER__TRUSTED_PROXIES", DesiredState.VPC_CIDR_OF + "vpc-1");
        assertThat(taskDefinition(resources, "gust-t-scheduler").environment())
                .doesNotContainKey("GUST_WEBSERVER__TRUSTED_PROXIES");
    }

    private static ResourceSpec.TaskDefinition taskDefinition(List<Resource> resources, String family) {
        return resources.stream()
                .filter(r ->
                        r.kind() == ResourceKind.TASK_DEFINITION && r.name().equals(family))
                .map(r -> (ResourceSpec.TaskDefinition) r.spec())
                .findFirst()
                .orElseThrow(() -> new AssertionError(family + " not among "
                        + resources.stream().map(Resource::name).toList()));
    }

    @Test
    void aGivenDatabaseUrlMakesNoRdsAndItsSecretFollowsTheUrl() {
        DeployConfig one = DeployConfigs.withDatabaseUrl("postgresql://u:p@a:5432/g");
        DeployConfig two = DeployConfigs.withDatabaseUrl("postgresql://u:p@b:5432/g");
        List<Resource> first = DesiredState.compute(new Names("e"), one, NETWORK, ACCOUNT, IMAGE);
        assertThat(first)
                .noneMatch(r -> r.kind() == ResourceKind.DB_INSTANCE || r.name().equals("gust-e-db"));
        Resource url1 = first.stream()
                .filter(r -> r.name().equals("gust/e/database-url"))
                .findFirst()
                .orElseThrow();
        Resource url2 = DesiredState.compute(new Names("e"), two, NETWORK, ACCOUNT, IMAGE).stream()
                .filter(r -> r.name().equals("gust/e/database-url"))
                .findFirst()
                .orElseThrow();
        assertThat(url1.fingerprint()).isNotEqualTo(url2.fingerprint());
        assertThat(url1.spec().toString()).doesNotContain("postgresql://");
    }

    /**
     * The startup line run by a real /bin/sh, with a stand-in for gust that logs its arguments and
     * stdin and fails where told: migrate first; a failing user creation (the user exists) does
     * not stop the start; a failing migration does.
     */
    @Test
    void theStartupShellMigratesCreatesTheAdminAndExecsTheWebserver(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("calls.log");
        Path gust = dir.resolve("gust");
        Files.writeString(gust, """
                #!/bin/sh
                input=""
                if [ "$1" = users ]; then read -r input; fi
                echo "$* stdin=$input" >> "%s"
                case "$1" in db) exit "${FAIL_MIGRATE:-0}";; users) exit 1;; esac
                exit 0
                """.formatted(log));
        gust.toFile().setExecutable(true);
        String command = DesiredState.webserverStartup(gust.toString());

        ProcessBuilder ok = new ProcessBuilder("/bin/sh", "-c", command);
        ok.environment().put("GUST_ADMIN_PASSWORD", "s3cret");
        assertThat(ok.start().waitFor()).isZero();
        assertThat(Files.readAllLines(log))
                .containsExactly(
                        "db migrate stdin=",
                        "users create --username admin --role admin --password-stdin stdin=s3cret",
                        "webserver stdin=");

        Files.delete(log);
        ProcessBuilder failing = new ProcessBuilder("/bin/sh", "-c", command);
        failing.environment().put("FAIL_MIGRATE", "3");
        assertThat(failing.start().waitFor()).isEqualTo(3);
        assertThat(Files.readAllLines(log)).containsExactly("db migrate stdin=");
    }

    @Test
    void theWebserverMigratesThenBecomesTheWebserver() {
        assertThat(DesiredState.webserverStartup())
                .startsWith("/opt/gust/bin/gust db migrate && ")
                .contains("--password-stdin")
                .endsWith("exec /opt/gust/bin/gust webserver");
    }
}
