package dev.gust.deploy.aws.elb;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** The target group of the webserver's tasks (by IP), with the health check the load balancer runs. */
public final class TargetGroupHandler implements ResourceHandler<ResourceSpec.TargetGroup> {

    @Override
    public List<Existing> find(FindContext context) {
        return ElbTagging.findNamed(
                context,
                context.names().targetGroup(),
                TargetGroupNotFoundException.class,
                "elasticloadbalancing:DescribeTargetGroups",
                (elb, name) -> elb.describeTargetGroups(r -> r.names(name))
                        .targetGroups()
                        .get(0),
                TargetGroup::targetGroupArn);
    }

    @Override
    public String create(Resource resource, ResourceSpec.TargetGroup spec, ApplyContext context) {
        String arn = call(
                "elasticloadbalancing:CreateTargetGroup",
                resource.name(),
                () -> context.aws()
                        .elb()
                        .createTargetGroup(b -> b.name(resource.name())
                                .protocol(ProtocolEnum.HTTP)
                                .port(spec.port())
                                .vpcId(context.ref(ResourceKind.VPC, spec.vpcId()))
                                .targetType(TargetTypeEnum.IP)
                                .healthCheckPath(spec.healthPath())
                                .healthCheckIntervalSeconds(spec.intervalSeconds())
                                .healthCheckTimeoutSeconds(spec.timeoutSeconds())
                                .unhealthyThresholdCount(spec.unhealthyThreshold())
                                .healthyThresholdCount(2)
                                .matcher(m -> m.httpCode("200"))
                                .tags(context.tags(resource, false).elb()))
                        .targetGroups()
                        .get(0)
                        .targetGroupArn());
        setAttributes(resource, spec, arn, context);
        ElbTagging.tagDone(resource, arn, context);
        return arn;
    }

    /**
     * The deregistration delay: how long the load balancer lets a stopping webserver finish its
     * requests. AWS's 300 s default makes every rolling deploy wait five minutes per batch, while
     * the webserver's requests take a second or two.
     */
    private static void setAttributes(
            Resource resource, ResourceSpec.TargetGroup spec, String arn, ApplyContext context) {
        run(
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                resource.name(),
                () -> context.aws()
                        .elb()
                        .modifyTargetGroupAttributes(b -> b.targetGroupArn(arn)
                                .attributes(a -> a.key("deregistration_delay.timeout_seconds")
                                        .value(String.valueOf(spec.deregistrationDelaySeconds())))));
    }

    @Override
    public String update(Resource resource, ResourceSpec.TargetGroup spec, Existing existing, ApplyContext context) {
        var elb = context.aws().elb();
        String id = existing.id();
        run(
                "elasticloadbalancing:ModifyTargetGroup",
                resource.name(),
                () -> elb.modifyTargetGroup(b -> b.targetGroupArn(id)
                        .healthCheckPath(spec.healthPath())
                        .healthCheckIntervalSeconds(spec.intervalSeconds())
                        .healthCheckTimeoutSeconds(spec.timeoutSeconds())
                        .unhealthyThresholdCount(spec.unhealthyThreshold())));
        setAttributes(resource, spec, id, context);
        ElbTagging.tagDone(resource, id, context);
        return id;
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "elasticloadbalancing:DeleteTargetGroup",
                existing.name(),
                () -> context.aws().elb().deleteTargetGroup(b -> b.targetGroupArn(existing.id())));
    }
}
