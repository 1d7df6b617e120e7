package dev.gust.deploy.aws.ec2;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.SettlingResourceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/** The internet gateway of the deployment's own VPC, attached to it. */
public final class InternetGatewayHandler implements SettlingResourceHandler<ResourceSpec.InternetGateway> {

    @Override
    public List<Existing> find(FindContext context) {
        return Ec2Tagging.findNamed(
                context,
                List.of(context.names().internetGateway()),
                "ec2:DescribeInternetGateways",
                (ec2, filters) ->
                        ec2.describeInternetGateways(r -> r.filters(filters)).internetGateways(),
                InternetGateway::internetGatewayId,
                InternetGateway::tags);
    }

    @Override
    public String make(Resource resource, ResourceSpec.InternetGateway spec, ApplyContext context) {
        return call(
                "ec2:CreateInternetGateway",
                resource.name(),
                () -> context.aws()
                        .ec2()
                        .createInternetGateway(b -> b.tagSpecifications(
                                Ec2Tagging.atCreation(ResourceType.INTERNET_GATEWAY, resource, context)))
                        .internetGateway()
                        .internetGatewayId());
    }

    @Override
    public void settle(Resource resource, ResourceSpec.InternetGateway spec, String gatewayId, ApplyContext context) {
        var ec2 = context.aws().ec2();
        String vpcId = context.id(ResourceKind.VPC, spec.vpc());
        var attachments = call(
                "ec2:DescribeInternetGateways",
                resource.name(),
                () -> ec2.describeInternetGateways(b -> b.internetGatewayIds(gatewayId))
                        .internetGateways()
                        .get(0)
                        .attachments());
        if (attachments.stream().noneMatch(a -> vpcId.equals(a.vpcId()))) {
            run(
                    "ec2:AttachInternetGateway",
                    resource.name(),
                    () -> ec2.attachInternetGateway(
                            b -> b.internetGatewayId(gatewayId).vpcId(vpcId)));
        }
        Ec2Tagging.tagDone(resource, gatewayId, context);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        var ec2 = context.aws().ec2();
        String name = existing.name();
        String id = existing.id();
        var attachments = call(
                "ec2:DescribeInternetGateways",
                name,
                () -> ec2.describeInternetGateways(b -> b.internetGatewayIds(id))
                        .internetGateways()
                        .get(0)
                        .attachments());
        for (var attachment : attachments) {
            // Refused while the VPC still has public addresses mapped (a NAT gateway's being released).
            context.retryWhileInUse(
                    "ec2:DetachInternetGateway",
                    name,
                    () -> ec2.detachInternetGateway(b -> b.internetGatewayId(id).vpcId(attachment.vpcId())));
        }
        run("ec2:DeleteInternetGateway", name, () -> ec2.deleteInternetGateway(b -> b.internetGatewayId(id)));
    }
}
