package dev.gust.deploy.model;

import java.util.List;

/**
 * The VPC and subnets (two availability zones at least) a deployment runs in. For an existing
 * network these are AWS ids, as resolved from AWS, and the ALB shares the tasks' subnets. For a
 * network the deployment makes ({@code zones} not empty) they are the names of its own VPC and
 * subnet resources (ids do not exist before they are made; the applier resolves names to ids),
 * the tasks and the database in the private subnets, the ALB in the public ones.
 */
public record Network(String vpcId, List<String> subnetIds, List<String> publicSubnetIds, List<String> zones) {
    public Network {
        subnetIds = List.copyOf(subnetIds);
        publicSubnetIds = List.copyOf(publicSubnetIds);
        zones = List.copyOf(zones);
    }

    /** An existing network: tasks, ALB and database share its subnets. */
    public Network(String vpcId, List<String> subnetIds) {
        this(vpcId, subnetIds, subnetIds, List.of());
    }

    /** The network deployment {@code names} makes in availability zones {@code zones} (two). */
    public static Network owned(Names names, List<String> zones) {
        return new Network(
                names.vpc(),
                List.of(names.subnet("private", 0), names.subnet("private", 1)),
                List.of(names.subnet("public", 0), names.subnet("public", 1)),
                zones);
    }

    public boolean owned() {
        return !zones.isEmpty();
    }
}
