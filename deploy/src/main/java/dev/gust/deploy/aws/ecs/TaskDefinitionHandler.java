package dev.gust.deploy.aws.ecs;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * The Fargate task definition of each component (webserver, scheduler, worker), on Linux for the
 * CPU architecture the image is built for (X86_64, or ARM64 for Graviton). A revision is
 * immutable: creating and updating both register a new one, and the newest is the one that exists.
 */
public final class TaskDefinitionHandler implements ResourceHandler<ResourceSpec.TaskDefinition> {

    @Override
    public List<Existing> find(FindContext context) {
        var ecs = context.aws().ecs();
        List<Existing> found = new ArrayList<>();
        for (String component : List.of(DesiredState.WEBSERVER, DesiredState.SCHEDULER, DesiredState.WORKER)) {
            String family = context.names().taskFamily(component);
            var arns = call(
                    "ecs:ListTaskDefinitions",
                    family,
                    () -> ecs.listTaskDefinitions(
                                    r -> r.familyPrefix(family).status("ACTIVE").sort("DESC"))
                            .taskDefinitionArns());
            // familyPrefix matches by prefix: gust-a-webserver would also list gust-a-webserver2's.
            // The newest revision by number, whatever order the listing comes in.
            var latest = arns.stream()
                    .filter(arn -> arn.substring(arn.lastIndexOf('/') + 1).startsWith(family + ":"))
                    .max(Comparator.comparingInt(arn -> Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1))));
            if (latest.isEmpty()) {
                continue;
            }
            var described = call(
                    "ecs:DescribeTaskDefinition",
                    family,
                    () -> ecs.describeTaskDefinition(
                            r -> r.taskDefinition(latest.get()).include(TaskDefinitionField.TAGS)));
            found.add(context.claim(
                    family,
                    described.taskDefinition().taskDefinitionArn(),
                    ResourceTags.read(described.tags(), Tag::key, Tag::value)));
        }
        return found;
    }

    @Override
    public String create(Resource resource, ResourceSpec.TaskDefinition spec, ApplyContext context) {
        return register(resource, spec, context);
    }

    /** A changed spec is a new revision. */
    @Override
    public String update(Resource resource, ResourceSpec.TaskDefinition spec, Existing existing, ApplyContext context) {
        return register(resource, spec, context);
    }

    private static String register(Resource resource, ResourceSpec.TaskDefinition spec, ApplyContext context) {
        String family = resource.name();
        String region = context.aws().region().id();
        ContainerDefinition.Builder container = ContainerDefinition.builder()
                .name(spec.containerName())
                .image(spec.image())
                .essential(true)
                // moto's RunTask, like capacity planning on EC2, needs a container memory; on
                // Fargate it is the container's hard limit, the task's memory.
                .memory(spec.memory())
                .stopTimeout(spec.stopTimeoutSeconds())
                .portMappings(spec.ports().stream()
                        .map(p -> PortMapping.builder()
                                .containerPort(p)
                                .protocol(TransportProtocol.TCP)
                                .build())
                        .toList())
                .environment(spec.environment().entrySet().stream()
                        .map(e -> KeyValuePair.builder()
                                .name(e.getKey())
                                .value(resolvedValue(e.getValue(), context))
                                .build())
                        .toList())
                .secrets(spec.secrets().entrySet().stream()
                        .map(e -> Secret.builder()
                                .name(e.getKey())
                                .valueFrom(secretArn(e.getValue(), context))
                                .build())
                        .toList())
                .logConfiguration(LogConfiguration.builder()
                        .logDriver(LogDriver.AWSLOGS)
                        .options(Map.of(
                                "awslogs-group",
                                spec.logGroup(),
                                "awslogs-region",
                                region,
                                "awslogs-stream-prefix",
                                spec.containerName()))
                        .build());
        if (spec.entryPoint() != null) {
            container.entryPoint(spec.entryPoint());
        }
        if (spec.command() != null) {
            container.command(spec.command());
        }
        if (spec.healthCheck() != null) {
            var hc = spec.healthCheck();
            container.healthCheck(h -> h.command(hc.command())
                    .interval(hc.intervalSeconds())
                    .timeout(hc.timeoutSeconds())
                    .retries(hc.retries())
                    .startPeriod(hc.startPeriodSeconds()));
        }
        var registered = call(
                "ecs:RegisterTaskDefinition",
                family,
                () -> context.aws()
                        .ecs()
                        .registerTaskDefinition(b -> b.family(family)
                                .requiresCompatibilities(Compatibility.FARGATE)
                                .networkMode(NetworkMode.AWSVPC)
                                .cpu(String.valueOf(spec.cpu()))
                                .memory(String.valueOf(spec.memory()))
                                .runtimePlatform(p -> p.cpuArchitecture(spec.cpuArchitecture())
                                        .operatingSystemFamily(OSFamily.LINUX))
                                .executionRoleArn(context.id(ResourceKind.ROLE, spec.executionRole()))
                                .taskRoleArn(context.id(ResourceKind.ROLE, spec.taskRole()))
                                .containerDefinitions(container.build())
                                .tags(context.tags(resource, true).ecs()))
                        .taskDefinition());
        return registered.taskDefinitionArn();
    }

    /** An environment value with the AWS ids its name references stand for (see DesiredState.SUBNET_IDS_OF). */
    private static String resolvedValue(String value, ApplyContext context) {
        if (value.startsWith(DesiredState.SUBNET_IDS_OF)) {
            return String.join(
                    ",",
                    context.subnets(List.of(
                            value.substring(DesiredState.SUBNET_IDS_OF.length()).split(","))));
        }
        if (value.startsWith(DesiredState.VPC_CIDR_OF)) {
            String vpcId = context.ref(ResourceKind.VPC, value.substring(DesiredState.VPC_CIDR_OF.length()));
            return call(
                    "ec2:DescribeVpcs",
                    vpcId,
                    () -> context.aws()
                            .ec2()
                            .describeVpcs(b -> b.vpcIds(vpcId))
                            .vpcs()
                            .get(0)
                            .cidrBlock());
        }
        if (value.startsWith(DesiredState.SECURITY_GROUP_ID_OF)) {
            return context.id(ResourceKind.SECURITY_GROUP, value.substring(DesiredState.SECURITY_GROUP_ID_OF.length()));
        }
        return value;
    }

    private static String secretArn(String name, ApplyContext context) {
        return context.has(ResourceKind.SECRET, name)
                ? context.id(ResourceKind.SECRET, name)
                : context.id(ResourceKind.DATABASE_URL_SECRET, name);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        var ecs = context.aws().ecs();
        String name = existing.name();
        List<String> revisions = call(
                        "ecs:ListTaskDefinitions",
                        name,
                        () -> ecs.listTaskDefinitions(b -> b.familyPrefix(name).status(TaskDefinitionStatus.ACTIVE))
                                .taskDefinitionArns())
                .stream()
                .filter(arn -> arn.substring(arn.lastIndexOf('/') + 1).startsWith(name + ":"))
                .toList();
        for (String arn : revisions) {
            run("ecs:DeregisterTaskDefinition", arn, () -> ecs.deregisterTaskDefinition(b -> b.taskDefinition(arn)));
        }
    }
}
