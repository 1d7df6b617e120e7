package dev.gust.deploy.aws.ec2;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.SettlingResourceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * The deployment's own VPC ({@code network.create_vpc}). It is made first and deleted last, so
 * without it there is none of the rest of the network, and a deployment in an existing VPC needs
 * no permission beyond ec2:DescribeVpcs to find its network.
 */
public final class VpcHandler implements SettlingResourceHandler<ResourceSpec.Vpc> {

    @Override
    public List<Existing> find(FindContext context) {
        return Ec2Tagging.findNamed(
                context,
                List.of(context.names().vpc()),
                "ec2:DescribeVpcs",
                (ec2, filters) -> ec2.describeVpcs(r -> r.filters(filters)).vpcs(),
                Vpc::vpcId,
                Vpc::tags);
    }

    @Override
    public String make(Resource resource, ResourceSpec.Vpc spec, ApplyContext context) {
        var ec2 = context.aws().ec2();
        String vpcId = call(
                "ec2:CreateVpc",
                resource.name(),
                () -> ec2.createVpc(b -> b.cidrBlock(spec.cidr())
                                .tagSpecifications(Ec2Tagging.atCreation(ResourceType.VPC, resource, context)))
                        .vpc()
                        .vpcId());
        call("ec2:DescribeVpcs", resource.name(), () -> ec2.waiter().waitUntilVpcAvailable(b -> b.vpcIds(vpcId)));
        return vpcId;
    }

    @Override
    public void settle(Resource resource, ResourceSpec.Vpc spec, String vpcId, ApplyContext context) {
        var ec2 = context.aws().ec2();
        String cidr = call(
                "ec2:DescribeVpcs",
                resource.name(),
                () -> ec2.describeVpcs(b -> b.vpcIds(vpcId)).vpcs().get(0).cidrBlock());
        if (!cidr.equals(spec.cidr())) {
            throw new DeployException("VPC " + resource.name() + " has CIDR " + cidr + ", deploy.yaml says "
                    + spec.cidr() + ": a VPC's block cannot change (gust deploy down first)");
        }
        // One attribute per call, as the API requires.
        run(
                "ec2:ModifyVpcAttribute",
                resource.name(),
                () -> ec2.modifyVpcAttribute(b -> b.vpcId(vpcId).enableDnsSupport(a -> a.value(spec.dnsSupport()))));
        run(
                "ec2:ModifyVpcAttribute",
                resource.name(),
                () -> ec2.modifyVpcAttribute(
                        b -> b.vpcId(vpcId).enableDnsHostnames(a -> a.value(spec.dnsHostnames()))));
        Ec2Tagging.tagDone(resource, vpcId, context);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        context.retryWhileInUse(
                "ec2:DeleteVpc", existing.name(), () -> context.aws().ec2().deleteVpc(b -> b.vpcId(existing.id())));
    }
}
