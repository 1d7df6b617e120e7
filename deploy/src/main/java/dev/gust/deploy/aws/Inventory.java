package dev.gust.deploy.aws;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.model.Account;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Network;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * Reads what exists of a deployment: every resource the deployment's names can denote, found by
 * name (by the {@link ResourceHandler} of its kind) and claimed only when it carries the tag
 * {@code gust:deployment=NAME}. A name taken by a
 * resource without that tag is an error (never adopted, never touched). Also resolves the account
 * and the network (default VPC, or the given VPC or subnets).
 */
public final class Inventory {

    private final AwsClients aws;
    private final Names names;
    private final ResourceHandlers handlers = ResourceHandlers.STANDARD;

    public Inventory(AwsClients aws, Names names) {
        this.aws = aws;
        this.names = names;
    }

    public Account account() {
        var identity =
                call("sts:GetCallerIdentity", "the caller", () -> aws.sts().getCallerIdentity());
        String partition = identity.arn() == null ? "aws" : identity.arn().split(":")[1];
        return new Account(identity.account(), aws.region().id(), partition);
    }

    /** The network from deploy.yaml: given subnets, the given VPC's subnets, or the default VPC's. */
    public Network network(DeployConfig.Network config) {
        if (config.createVpc()) {
            return Network.owned(names, zones());
        }
        List<Subnet> subnets;
        if (!config.subnetIds().isEmpty()) {
            subnets = call(
                    "ec2:DescribeSubnets",
                    String.join(",", config.subnetIds()),
                    () -> aws.ec2()
                            .describeSubnets(r -> r.subnetIds(config.subnetIds()))
                            .subnets());
        } else {
            String vpcId = config.vpcId();
            if (vpcId == null) {
                List<Vpc> vpcs = call(
                        "ec2:DescribeVpcs",
                        "the default VPC",
                        () -> aws.ec2()
                                .describeVpcs(r -> r.filters(Filter.builder()
                                        .name("isDefault")
                                        .values("true")
                                        .build()))
                                .vpcs());
                if (vpcs.isEmpty()) {
                    throw new DeployException("no default VPC in "
                            + aws.region().id() + ": give network.vpc_id or network.subnet_ids in deploy.yaml");
                }
                vpcId = vpcs.get(0).vpcId();
            }
            String vpc = vpcId;
            subnets = call(
                    "ec2:DescribeSubnets",
                    vpc,
                    () -> aws.ec2()
                            .describeSubnets(r -> r.filters(
                                    Filter.builder().name("vpc-id").values(vpc).build()))
                            .subnets());
        }
        if (subnets.isEmpty()) {
            throw new DeployException("no subnets found for the deployment's network");
        }
        String vpcId = subnets.get(0).vpcId();
        if (subnets.stream().anyMatch(s -> !s.vpcId().equals(vpcId))) {
            throw new DeployException("network.subnet_ids are in different VPCs");
        }
        // One subnet per availability zone (the ALB accepts no more), sorted for a stable fingerprint.
        Map<String, String> byZone = new java.util.TreeMap<>();
        for (Subnet subnet : subnets.stream()
                .sorted(java.util.Comparator.comparing(Subnet::subnetId))
                .toList()) {
            byZone.putIfAbsent(subnet.availabilityZone(), subnet.subnetId());
        }
        if (byZone.size() < 2) {
            throw new DeployException("the deployment's subnets span " + byZone.size()
                    + " availability zone; the ALB and RDS need two at least");
        }
        return new Network(vpcId, byZone.values().stream().sorted().toList());
    }

    /**
     * The first two availability zones of the region by name: the same two on every run, so the
     * subnets' fingerprints stay put. Local and Wavelength zones cannot hold an ALB.
     */
    private List<String> zones() {
        var zones = call(
                "ec2:DescribeAvailabilityZones",
                aws.region().id(),
                () -> aws.ec2().describeAvailabilityZones().availabilityZones());
        List<String> usable = zones.stream()
                .filter(z -> z.zoneType() == null || "availability-zone".equals(z.zoneType()))
                .filter(z -> z.state() == null || "available".equals(z.stateAsString()))
                .map(z -> z.zoneName())
                .sorted()
                .limit(2)
                .toList();
        if (usable.size() < 2) {
            throw new DeployException(
                    aws.region().id() + " has " + usable.size() + " available zone; network.create_vpc needs two");
        }
        return usable;
    }

    /**
     * Every resource of the deployment that exists, in creation order: each kind's handler looks for
     * its own, knowing what the kinds before it found. The deployment's own network is found by its
     * Name tags whatever deploy.yaml says now; without its VPC (made first, deleted last) there is
     * none of the rest, and a deployment in an existing VPC needs no permission beyond ec2:DescribeVpcs.
     */
    public List<Existing> existing() {
        List<Existing> found = new ArrayList<>();
        for (ResourceKind kind : ResourceKind.values()) {
            found.addAll(handlers.of(kind).find(new FindContext(aws, names, kind, found)));
        }
        return found;
    }
}
