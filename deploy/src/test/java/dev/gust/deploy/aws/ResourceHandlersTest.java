package dev.gust.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.aws.ec2.VpcHandler;
import dev.gust.deploy.model.Account;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Network;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of resource has exactly one handler, and it takes the specs the desired state makes for that kind. */
class ResourceHandlersTest {

    @Test
    void everyKindHasExactlyOneHandler() {
        var perKind = ResourceHandlers.standard().stream()
                .collect(Collectors.groupingBy(ResourceHandlers.Registration::kind, Collectors.counting()));
        assertThat(perKind).containsOnlyKeys(ResourceKind.values());
        assertThat(perKind.values()).containsOnly(1L);
        for (ResourceKind kind : ResourceKind.values()) {
            assertThat(ResourceHandlers.STANDARD.of(kind).kind()).isEqualTo(kind);
        }
    }

    @Test
    void aMissingOrASecondHandlerIsRefused() {
        List<ResourceHandlers.Registration<?>> withoutVpc = new ArrayList<>(ResourceHandlers.standard());
        withoutVpc.removeIf(h -> h.kind() == ResourceKind.VPC);
        assertThatThrownBy(() -> new ResourceHandlers(withoutVpc)).hasMessage("no handler for [VPC]");
        List<ResourceHandlers.Registration<?>> twoVpcs = new ArrayList<>(ResourceHandlers.standard());
        twoVpcs.add(new ResourceHandlers.Registration<>(ResourceKind.VPC, ResourceSpec.Vpc.class, new VpcHandler()));
        assertThatThrownBy(() -> new ResourceHandlers(twoVpcs)).hasMessage("two handlers for VPC");
    }

    @Test
    void eachHandlerTakesTheSpecsOfItsKind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(
                file,
                "network: {create_vpc: true}\nwebserver: {autoscaling: {max: 4}}\nnotifications: {sns_topic: true}\n"
                        + "alerts: {email: [ops@example.com]}\n");
        Names names = new Names("h");
        List<Resource> desired = new ArrayList<>(DesiredState.compute(
                names,
                DeployConfig.load(file, true),
                Network.owned(names, List.of("eu-west-1a", "eu-west-1b")),
                new Account("123456789012", "eu-west-1", "aws"),
                "repo@sha256:" + "c".repeat(64)));
        Files.writeString(file, "database: {url: \"postgresql://app:pw@db.example.com:5432/gust\"}\n");
        desired.addAll(DesiredState.compute(
                names,
                DeployConfig.load(file, true),
                new Network("vpc-1", List.of("subnet-a", "subnet-b")),
                new Account("123456789012", "eu-west-1", "aws"),
                "repo@sha256:" + "c".repeat(64)));
        assertThat(desired.stream().map(Resource::kind).distinct())
                .as("the desired states cover every kind")
                .containsExactlyInAnyOrder(ResourceKind.values());
        for (Resource resource : desired) {
            assertThat(resource.spec())
                    .as(resource.key())
                    .isInstanceOf(ResourceHandlers.STANDARD.of(resource.kind()).specType());
        }
    }
}
