package dev.gust.deploy.aws.ec2;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.SettlingResourceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** The public and private subnets of the deployment's own VPC, one of each per availability zone. */
public final class SubnetHandler implements SettlingResourceHandler<ResourceSpec.Subnet> {

    @Override
    public List<Existing> find(FindContext context) {
        List<String> names = new ArrayList<>();
        for (String tier : List.of("public", "private")) {
            for (int zone = 0; zone < 2; zone++) {
                names.add(context.names().subnet(tier, zone));
            }
        }
        return Ec2Tagging.findNamed(
                context,
                names,
                "ec2:DescribeSubnets",
                (ec2, filters) -> ec2.describeSubnets(r -> r.filters(filters)).subnets(),
                Subnet::subnetId,
                Subnet::tags);
    }

    @Override
    public String make(Resource resource, ResourceSpec.Subnet spec, ApplyContext context) {
        return call(
                "ec2:CreateSubnet",
                resource.name(),
                () -> context.aws()
                        .ec2()
                        .createSubnet(b -> b.vpcId(context.id(ResourceKind.VPC, spec.vpc()))
                                .cidrBlock(spec.cidr())
                                .availabilityZone(spec.availabilityZone())
                                .tagSpecifications(Ec2Tagging.atCreation(ResourceType.SUBNET, resource, context)))
                        .subnet()
                        .subnetId());
    }

    @Override
    public void settle(Resource resource, ResourceSpec.Subnet spec, String subnetId, ApplyContext context) {
        var subnet = call(
                "ec2:DescribeSubnets",
                resource.name(),
                () -> context.aws()
                        .ec2()
                        .describeSubnets(b -> b.subnetIds(subnetId))
                        .subnets()
                        .get(0));
        if (!subnet.cidrBlock().equals(spec.cidr())
                || !subnet.availabilityZone().equals(spec.availabilityZone())) {
            throw new DeployException("subnet " + resource.name() + " is " + subnet.cidrBlock() + " in "
                    + subnet.availabilityZone() + ", deploy.yaml makes it " + spec.cidr() + " in "
                    + spec.availabilityZone() + ": gust deploy down first");
        }
        Ec2Tagging.tagDone(resource, subnetId, context);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        // Network interfaces of the ALB, the tasks and RDS outlive them by minutes.
        context.retryWhileInUse(
                "ec2:DeleteSubnet",
                existing.name(),
                () -> context.aws().ec2().deleteSubnet(b -> b.subnetId(existing.id())));
    }
}
