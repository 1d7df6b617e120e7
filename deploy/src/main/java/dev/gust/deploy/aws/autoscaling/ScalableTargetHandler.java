package dev.gust.deploy.aws.autoscaling;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * Application Auto Scaling of the webserver and scheduler services: the scalable target (the
 * service's desired count between min and max) and its target tracking policies, one on the ALB's
 * requests per target and one on the service's average CPU. A scalable target carries no tags we
 * could rely on, so it is the deployment's because its service is (in the deployment's cluster),
 * and its fingerprint is computed from the settings read back: a policy changed by hand shows as a
 * change and the next {@code up} puts it back.
 */
public final class ScalableTargetHandler implements ResourceHandler<ResourceSpec.ScalableTarget> {

    private static final String REQUESTS = "requests";
    private static final String CPU = "cpu";
    /** Scale out within a minute of a burst; scale in only after five quiet ones. */
    private static final int SCALE_OUT_COOLDOWN = 60;

    private static final int SCALE_IN_COOLDOWN = 300;

    @Override
    public List<Existing> find(FindContext context) {
        if (context.first(ResourceKind.CLUSTER).isEmpty()) {
            return List.of();
        }
        List<Existing> found = new ArrayList<>();
        for (String service : List.of(DesiredState.WEBSERVER, DesiredState.SCHEDULER)) {
            String id = context.names().scalableTarget(service);
            var targets = call(
                    "application-autoscaling:DescribeScalableTargets",
                    id,
                    () -> context.aws()
                            .autoscaling()
                            .describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)
                                    .resourceIds(id)
                                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT))
                            .scalableTargets());
            if (targets.isEmpty()) {
                continue;
            }
            var target = targets.get(0);
            Map<String, ScalingPolicy> policies = policies(id, context.aws().autoscaling());
            var requests = policies.get(context.names().scalingPolicy(service, REQUESTS));
            var cpu = policies.get(context.names().scalingPolicy(service, CPU));
            ResourceSpec.ScalableTarget live = new ResourceSpec.ScalableTarget(
                    context.names().cluster(),
                    service,
                    target.minCapacity(),
                    target.maxCapacity(),
                    requests == null ? null : targetValue(requests),
                    cpu == null ? null : targetValue(cpu),
                    requests == null ? null : context.names().loadBalancer(),
                    requests == null ? null : context.names().targetGroup());
            String fingerprint = policies.size() == (requests == null ? 0 : 1) + (cpu == null ? 0 : 1)
                    ? new Resource(context.kind(), id, live).fingerprint()
                    : Existing.DRIFTED; // a policy added by hand
            found.add(new Existing(context.kind(), id, id, fingerprint));
        }
        return found;
    }

    private static Integer targetValue(ScalingPolicy policy) {
        return (int)
                Math.round(policy.targetTrackingScalingPolicyConfiguration().targetValue());
    }

    private static Map<String, ScalingPolicy> policies(String resourceId, ApplicationAutoScalingClient autoscaling) {
        Map<String, ScalingPolicy> byName = new TreeMap<>();
        call(
                        "application-autoscaling:DescribeScalingPolicies",
                        resourceId,
                        () -> autoscaling
                                .describeScalingPolicies(b ->
                                        b.serviceNamespace(ServiceNamespace.ECS).resourceId(resourceId))
                                .scalingPolicies())
                .stream()
                // moto matches resource ids by substring: service/gust-a/webserver2 is not ours
                .filter(p -> p.resourceId().equals(resourceId))
                .forEach(p -> byName.put(p.policyName(), p));
        return byName;
    }

    @Override
    public String create(Resource resource, ResourceSpec.ScalableTarget spec, ApplyContext context) {
        settle(resource, spec, context);
        return resource.name();
    }

    @Override
    public String update(Resource resource, ResourceSpec.ScalableTarget spec, Existing existing, ApplyContext context) {
        settle(resource, spec, context);
        return existing.id();
    }

    /** Registers (or re-registers) the target's bounds, puts the spec's policies and removes any other. */
    private static void settle(Resource resource, ResourceSpec.ScalableTarget spec, ApplyContext context) {
        var autoscaling = context.aws().autoscaling();
        String id = resource.name();
        run(
                "application-autoscaling:RegisterScalableTarget",
                id,
                () -> autoscaling.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                        .resourceId(id)
                        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                        .minCapacity(spec.min())
                        .maxCapacity(spec.max())));
        Names names = context.names();
        Map<String, TargetTrackingScalingPolicyConfiguration> wanted = new TreeMap<>();
        if (spec.requestsPerTarget() != null) {
            wanted.put(
                    names.scalingPolicy(spec.service(), REQUESTS),
                    tracking(spec.requestsPerTarget(), MetricType.ALB_REQUEST_COUNT_PER_TARGET, label(spec, context)));
        }
        if (spec.cpuPercent() != null) {
            wanted.put(
                    names.scalingPolicy(spec.service(), CPU),
                    tracking(spec.cpuPercent(), MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION, null));
        }
        for (String name : policies(id, autoscaling).keySet()) {
            if (!wanted.containsKey(name)) {
                deletePolicy(id, name, context);
            }
        }
        wanted.forEach((name, configuration) -> run(
                "application-autoscaling:PutScalingPolicy",
                name,
                () -> autoscaling.putScalingPolicy(b -> b.policyName(name)
                        .serviceNamespace(ServiceNamespace.ECS)
                        .resourceId(id)
                        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                        .policyType(PolicyType.TARGET_TRACKING_SCALING)
                        .targetTrackingScalingPolicyConfiguration(configuration))));
    }

    private static TargetTrackingScalingPolicyConfiguration tracking(int target, MetricType metric, String label) {
        return TargetTrackingScalingPolicyConfiguration.builder()
                .targetValue((double) target)
                .predefinedMetricSpecification(
                        m -> m.predefinedMetricType(metric).resourceLabel(label))
                .scaleOutCooldown(SCALE_OUT_COOLDOWN)
                .scaleInCooldown(SCALE_IN_COOLDOWN)
                .build();
    }

    /** ALBRequestCountPerTarget's label: {@code app/LB/ID/targetgroup/TG/ID}, from the two ARNs. */
    static String label(ResourceSpec.ScalableTarget spec, ApplyContext context) {
        String lb = context.id(ResourceKind.LOAD_BALANCER, spec.loadBalancer());
        String tg = context.id(ResourceKind.TARGET_GROUP, spec.targetGroup());
        return lb.substring(lb.indexOf(":loadbalancer/") + ":loadbalancer/".length()) + "/"
                + tg.substring(tg.indexOf("targetgroup/"));
    }

    private static void deletePolicy(String id, String name, ApplyContext context) {
        run(
                "application-autoscaling:DeleteScalingPolicy",
                name,
                () -> context.aws()
                        .autoscaling()
                        .deleteScalingPolicy(b -> b.policyName(name)
                                .serviceNamespace(ServiceNamespace.ECS)
                                .resourceId(id)
                                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)));
    }

    /** Its policies, then the target: the service's count stays where it is. */
    @Override
    public void delete(Existing existing, ApplyContext context) {
        String id = existing.id();
        for (String name : policies(id, context.aws().autoscaling()).keySet()) {
            deletePolicy(id, name, context);
        }
        run(
                "application-autoscaling:DeregisterScalableTarget",
                id,
                () -> context.aws()
                        .autoscaling()
                        .deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                                .resourceId(id)
                                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)));
    }
}
