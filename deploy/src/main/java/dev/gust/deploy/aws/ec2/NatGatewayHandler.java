package dev.gust.deploy.aws.ec2;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.SettlingResourceHandler;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/** The NAT gateway that gives the private subnets their way out, with its Elastic IP, in a public subnet. */
public final class NatGatewayHandler implements SettlingResourceHandler<ResourceSpec.NatGateway> {

    @Override
    public List<Existing> find(FindContext context) {
        var vpc = context.first(ResourceKind.VPC);
        if (vpc.isEmpty()) {
            return List.of();
        }
        String vpcId = vpc.get().id();
        String name = context.names().natGateway();
        String deployment = context.names().deployment();
        // The VPC's gateways, by name here rather than by a tag filter, which not every
        // implementation of the API takes for NAT gateways. A deleted (or failed) one stays listed
        // for a while and is gone for us.
        var gateways = call(
                "ec2:DescribeNatGateways",
                name,
                () -> context.aws()
                        .ec2()
                        .describeNatGateways(r -> r.filter(
                                Filter.builder().name("vpc-id").values(vpcId).build()))
                        .natGateways());
        return gateways.stream()
                .filter(g -> g.tags().stream()
                        .anyMatch(t -> t.key().equals("Name") && t.value().equals(name)))
                .filter(g -> g.tags().stream()
                        .anyMatch(t -> t.key().equals(Names.DEPLOYMENT_TAG)
                                && t.value().equals(deployment)))
                .filter(g -> !List.of("deleted", "failed").contains(g.stateAsString()))
                .limit(1)
                .map(g -> context.claim(name, g.natGatewayId(), Ec2Tagging.read(g.tags())))
                .toList();
    }

    @Override
    public String make(Resource resource, ResourceSpec.NatGateway spec, ApplyContext context) {
        return call(
                "ec2:CreateNatGateway",
                resource.name(),
                () -> context.aws()
                        .ec2()
                        .createNatGateway(b -> b.subnetId(context.id(ResourceKind.SUBNET, spec.subnet()))
                                .allocationId(context.id(ResourceKind.ELASTIC_IP, spec.elasticIp()))
                                .tagSpecifications(Ec2Tagging.atCreation(ResourceType.NATGATEWAY, resource, context)))
                        .natGateway()
                        .natGatewayId());
    }

    /** Its subnet and address are fixed names: settling waits until it is available. */
    @Override
    public void settle(Resource resource, ResourceSpec.NatGateway spec, String gatewayId, ApplyContext context) {
        context.out().printf("  waiting for the NAT gateway %s to be available (a minute or two)%n", resource.name());
        call(
                "ec2:DescribeNatGateways",
                resource.name(),
                () -> context.aws().ec2().waiter().waitUntilNatGatewayAvailable(b -> b.natGatewayIds(gatewayId)));
        Ec2Tagging.tagDone(resource, gatewayId, context);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        var ec2 = context.aws().ec2();
        run("ec2:DeleteNatGateway", existing.name(), () -> ec2.deleteNatGateway(b -> b.natGatewayId(existing.id())));
        // Its address and subnet are released only once it is deleted.
        call(
                "ec2:DescribeNatGateways",
                existing.name(),
                () -> ec2.waiter().waitUntilNatGatewayDeleted(b -> b.natGatewayIds(existing.id())));
    }
}
