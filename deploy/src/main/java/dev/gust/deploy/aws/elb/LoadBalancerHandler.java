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
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/** The internet-facing application load balancer in front of the webserver. */
public final class LoadBalancerHandler implements ResourceHandler<ResourceSpec.LoadBalancer> {

    @Override
    public List<Existing> find(FindContext context) {
        return ElbTagging.findNamed(
                context,
                context.names().loadBalancer(),
                LoadBalancerNotFoundException.class,
                "elasticloadbalancing:DescribeLoadBalancers",
                (elb, name) -> elb.describeLoadBalancers(r -> r.names(name))
                        .loadBalancers()
                        .get(0),
                LoadBalancer::loadBalancerArn);
    }

    @Override
    public String create(Resource resource, ResourceSpec.LoadBalancer spec, ApplyContext context) {
        var elb = context.aws().elb();
        String name = resource.name();
        var lb = call(
                "elasticloadbalancing:CreateLoadBalancer",
                name,
                () -> elb.createLoadBalancer(b -> b.name(name)
                                .subnets(context.subnets(spec.subnetIds()))
                                .securityGroups(context.id(ResourceKind.SECURITY_GROUP, spec.securityGroup()))
                                .scheme(LoadBalancerSchemeEnum.INTERNET_FACING)
                                .type(LoadBalancerTypeEnum.APPLICATION)
                                .tags(context.tags(resource, true).elb()))
                        .loadBalancers()
                        .get(0));
        call(
                "elasticloadbalancing:DescribeLoadBalancers",
                name,
                () -> elb.waiter().waitUntilLoadBalancerAvailable(b -> b.loadBalancerArns(lb.loadBalancerArn())));
        return lb.loadBalancerArn();
    }

    @Override
    public String update(Resource resource, ResourceSpec.LoadBalancer spec, Existing existing, ApplyContext context) {
        var elb = context.aws().elb();
        String name = resource.name();
        String id = existing.id();
        run(
                "elasticloadbalancing:SetSubnets",
                name,
                () -> elb.setSubnets(b -> b.loadBalancerArn(id).subnets(context.subnets(spec.subnetIds()))));
        run(
                "elasticloadbalancing:SetSecurityGroups",
                name,
                () -> elb.setSecurityGroups(b -> b.loadBalancerArn(id)
                        .securityGroups(context.id(ResourceKind.SECURITY_GROUP, spec.securityGroup()))));
        ElbTagging.tagDone(resource, id, context);
        return id;
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        var elb = context.aws().elb();
        run(
                "elasticloadbalancing:DeleteLoadBalancer",
                existing.name(),
                () -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(existing.id())));
        call(
                "elasticloadbalancing:DescribeLoadBalancers",
                existing.name(),
                () -> elb.waiter().waitUntilLoadBalancersDeleted(b -> b.loadBalancerArns(existing.id())));
    }
}
