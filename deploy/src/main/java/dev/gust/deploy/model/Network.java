package dev.gust.deploy.model;

import java.util.List;

/** The VPC and subnets (two availability zones at least) a deployment runs in, as resolved from AWS. */
public record Network(String vpcId, List<String> subnetIds) {
    public Network {
        subnetIds = List.copyOf(subnetIds);
    }
}
