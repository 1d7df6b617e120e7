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
import java.util.Objects;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * The public and the private route table of the deployment's own VPC: one default route (to the
 * internet gateway or the NAT gateway) and the subnets' associations.
 */
public final class RouteTableHandler implements SettlingResourceHandler<ResourceSpec.RouteTable> {

    private static final String DEFAULT_ROUTE = "0.0.0.0/0";

    @Override
    public List<Existing> find(FindContext context) {
        return Ec2Tagging.findNamed(
                context,
                List.of(context.names().routeTable("public"), context.names().routeTable("private")),
                "ec2:DescribeRouteTables",
                (ec2, filters) ->
                        ec2.describeRouteTables(r -> r.filters(filters)).routeTables(),
                RouteTable::routeTableId,
                RouteTable::tags);
    }

    @Override
    public String make(Resource resource, ResourceSpec.RouteTable spec, ApplyContext context) {
        return call(
                "ec2:CreateRouteTable",
                resource.name(),
                () -> context.aws()
                        .ec2()
                        .createRouteTable(b -> b.vpcId(context.id(ResourceKind.VPC, spec.vpc()))
                                .tagSpecifications(Ec2Tagging.atCreation(ResourceType.ROUTE_TABLE, resource, context)))
                        .routeTable()
                        .routeTableId());
    }

    /** The one default route (replaced if it points elsewhere) and the subnets' associations. */
    @Override
    public void settle(Resource resource, ResourceSpec.RouteTable spec, String tableId, ApplyContext context) {
        var ec2 = context.aws().ec2();
        String name = resource.name();
        var table = call(
                "ec2:DescribeRouteTables",
                name,
                () -> ec2.describeRouteTables(b -> b.routeTableIds(tableId))
                        .routeTables()
                        .get(0));
        String gatewayId = spec.internetGateway() != null
                ? context.id(ResourceKind.INTERNET_GATEWAY, spec.internetGateway())
                : null;
        String natId = spec.natGateway() != null ? context.id(ResourceKind.NAT_GATEWAY, spec.natGateway()) : null;
        var current = table.routes().stream()
                .filter(r -> DEFAULT_ROUTE.equals(r.destinationCidrBlock()))
                .findFirst();
        if (current.isEmpty()) {
            run(
                    "ec2:CreateRoute",
                    name,
                    () -> ec2.createRoute(b -> b.routeTableId(tableId)
                            .destinationCidrBlock(DEFAULT_ROUTE)
                            .gatewayId(gatewayId)
                            .natGatewayId(natId)));
        } else if (!Objects.equals(current.get().gatewayId(), gatewayId)
                || !Objects.equals(current.get().natGatewayId(), natId)) {
            run(
                    "ec2:ReplaceRoute",
                    name,
                    () -> ec2.replaceRoute(b -> b.routeTableId(tableId)
                            .destinationCidrBlock(DEFAULT_ROUTE)
                            .gatewayId(gatewayId)
                            .natGatewayId(natId)));
        }
        for (String subnet : spec.subnets()) {
            String subnetId = context.id(ResourceKind.SUBNET, subnet);
            if (table.associations().stream().noneMatch(a -> subnetId.equals(a.subnetId()))) {
                run(
                        "ec2:AssociateRouteTable",
                        name,
                        () -> ec2.associateRouteTable(
                                b -> b.routeTableId(tableId).subnetId(subnetId)));
            }
        }
        Ec2Tagging.tagDone(resource, tableId, context);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        var ec2 = context.aws().ec2();
        String name = existing.name();
        var associations = call(
                "ec2:DescribeRouteTables",
                name,
                () -> ec2.describeRouteTables(b -> b.routeTableIds(existing.id()))
                        .routeTables()
                        .get(0)
                        .associations());
        for (var association : associations) {
            if (!Boolean.TRUE.equals(association.main())) {
                run(
                        "ec2:DisassociateRouteTable",
                        name,
                        () -> ec2.disassociateRouteTable(b -> b.associationId(association.routeTableAssociationId())));
            }
        }
        run("ec2:DeleteRouteTable", name, () -> ec2.deleteRouteTable(b -> b.routeTableId(existing.id())));
    }
}
