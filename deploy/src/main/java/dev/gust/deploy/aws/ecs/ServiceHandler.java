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
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The ECS services of the webserver (behind the load balancer) and the scheduler. An update is a
 * rolling deployment that never goes below the desired count and rolls back when it fails.
 */
public final class ServiceHandler implements ResourceHandler<ResourceSpec.Service> {

    @Override
    public List<Existing> find(FindContext context) {
        if (context.first(ResourceKind.CLUSTER).isEmpty()) {
            return List.of();
        }
        String cluster = context.names().cluster();
        var services = call(
                "ecs:DescribeServices",
                cluster,
                () -> context.aws()
                        .ecs()
                        .describeServices(r -> r.cluster(cluster)
                                .services(DesiredState.WEBSERVER, DesiredState.SCHEDULER)
                                .include(ServiceField.TAGS))
                        .services());
        return services.stream()
                .filter(s -> !"INACTIVE".equals(s.status()))
                .sorted(Comparator.comparing(s -> s.serviceName().equals(DesiredState.WEBSERVER) ? 0 : 1))
                .map(s -> context.claim(
                        s.serviceName(), s.serviceArn(), ResourceTags.read(s.tags(), Tag::key, Tag::value)))
                .toList();
    }

    @Override
    public String create(Resource resource, ResourceSpec.Service spec, ApplyContext context) {
        return call(
                "ecs:CreateService",
                resource.name(),
                () -> context.aws()
                        .ecs()
                        .createService(b -> {
                            b.cluster(spec.cluster())
                                    .serviceName(resource.name())
                                    .taskDefinition(context.id(ResourceKind.TASK_DEFINITION, spec.taskDefinition()))
                                    .desiredCount(spec.desiredCount())
                                    .launchType(LaunchType.FARGATE)
                                    .networkConfiguration(network(spec, context))
                                    .deploymentConfiguration(rolling())
                                    .healthCheckGracePeriodSeconds(spec.healthCheckGracePeriodSeconds())
                                    .propagateTags(PropagateTags.SERVICE)
                                    .enableECSManagedTags(true)
                                    .tags(context.tags(resource, true).ecs());
                            if (spec.targetGroup() != null) {
                                b.loadBalancers(lb -> lb.targetGroupArn(
                                                context.id(ResourceKind.TARGET_GROUP, spec.targetGroup()))
                                        .containerName(spec.containerName())
                                        .containerPort(spec.containerPort()));
                            }
                        })
                        .service()
                        .serviceArn());
    }

    @Override
    public String update(Resource resource, ResourceSpec.Service spec, Existing existing, ApplyContext context) {
        var ecs = context.aws().ecs();
        run(
                "ecs:UpdateService",
                resource.name(),
                () -> ecs.updateService(b -> {
                    b.cluster(spec.cluster())
                            .service(resource.name())
                            .taskDefinition(context.id(ResourceKind.TASK_DEFINITION, spec.taskDefinition()))
                            .networkConfiguration(network(spec, context))
                            .deploymentConfiguration(rolling())
                            .healthCheckGracePeriodSeconds(spec.healthCheckGracePeriodSeconds());
                    if (!spec.autoscaled()) {
                        // scaled services keep the count Application Auto Scaling gave them
                        b.desiredCount(spec.desiredCount());
                    }
                    if (spec.targetGroup() != null) {
                        b.loadBalancers(
                                lb -> lb.targetGroupArn(context.id(ResourceKind.TARGET_GROUP, spec.targetGroup()))
                                        .containerName(spec.containerName())
                                        .containerPort(spec.containerPort()));
                    }
                }));
        context.tagDone(
                "ecs:TagResource",
                resource,
                tags -> ecs.tagResource(b -> b.resourceArn(existing.id()).tags(tags.ecs())));
        return existing.id();
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        var ecs = context.aws().ecs();
        String name = existing.name();
        String cluster = context.names().cluster();
        run(
                "ecs:UpdateService",
                name,
                () -> ecs.updateService(b -> b.cluster(cluster).service(name).desiredCount(0)));
        run(
                "ecs:DeleteService",
                name,
                () -> ecs.deleteService(b -> b.cluster(cluster).service(name).force(true)));
        call(
                "ecs:DescribeServices",
                name,
                () -> ecs.waiter()
                        .waitUntilServicesInactive(b -> b.cluster(cluster).services(name)));
    }

    private static NetworkConfiguration network(ResourceSpec.Service spec, ApplyContext context) {
        return NetworkConfiguration.builder()
                .awsvpcConfiguration(a -> a.subnets(context.subnets(spec.subnetIds()))
                        .securityGroups(context.id(ResourceKind.SECURITY_GROUP, spec.securityGroup()))
                        .assignPublicIp(spec.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED))
                .build();
    }

    /** Rolling: never below the desired count, up to double while replacing; failures roll back. */
    private static DeploymentConfiguration rolling() {
        return DeploymentConfiguration.builder()
                .minimumHealthyPercent(100)
                .maximumPercent(200)
                .deploymentCircuitBreaker(DeploymentCircuitBreaker.builder()
                        .enable(true)
                        .rollback(true)
                        .build())
                .build();
    }
}
