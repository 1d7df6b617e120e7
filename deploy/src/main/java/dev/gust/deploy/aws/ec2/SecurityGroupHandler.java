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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * The security groups of the load balancer, the tasks and the database. Their ingress is what
 * keeps the tasks and the database private, so the inventory reads it back: a rule added by hand
 * shows as a change (and {@code up} removes it), whatever the fingerprint tag says.
 */
public final class SecurityGroupHandler implements SettlingResourceHandler<ResourceSpec.SecurityGroup> {

    @Override
    public List<Existing> find(FindContext context) {
        // Our VPC's id to its name, and the groups read so far (they are read in creation order) id
        // to name, so specs read back from AWS name them as the desired ones do.
        Map<String, String> vpcNames = new HashMap<>();
        context.first(ResourceKind.VPC).ifPresent(vpc -> vpcNames.put(vpc.id(), vpc.name()));
        Map<String, String> groupNames = new HashMap<>();
        List<Existing> found = new ArrayList<>();
        for (String name : List.of(
                context.names().albGroup(),
                context.names().tasksGroup(),
                context.names().databaseGroup())) {
            List<SecurityGroup> groups = call(
                    "ec2:DescribeSecurityGroups",
                    name,
                    () -> context.aws()
                            .ec2()
                            .describeSecurityGroups(r -> r.filters(Filter.builder()
                                    .name("group-name")
                                    .values(name)
                                    .build()))
                            .securityGroups());
            if (groups.isEmpty()) {
                continue;
            }
            SecurityGroup group = groups.stream()
                    .filter(g -> g.tags().stream().anyMatch(t -> t.key().equals(Names.DEPLOYMENT_TAG)))
                    .findFirst()
                    .orElse(groups.get(0));
            Existing claimed = context.claim(name, group.groupId(), Ec2Tagging.read(group.tags()));
            groupNames.put(group.groupId(), name);
            String live = new Resource(context.kind(), name, liveSpec(group, vpcNames, groupNames)).fingerprint();
            if (claimed.fingerprint() != null && !live.equals(claimed.fingerprint())) {
                claimed = new Existing(claimed.kind(), claimed.name(), claimed.id(), Existing.DRIFTED);
            }
            found.add(claimed);
        }
        return found;
    }

    private static ResourceSpec.SecurityGroup liveSpec(
            SecurityGroup group, Map<String, String> vpcNames, Map<String, String> groupNames) {
        return new ResourceSpec.SecurityGroup(
                vpcNames.getOrDefault(group.vpcId(), group.vpcId()),
                group.description(),
                rules(group.ipPermissions(), groupNames),
                rules(group.ipPermissionsEgress(), groupNames));
    }

    /** Rules as specs say them: one TCP port, or all traffic; anything else reads as a drift (port -2). */
    private static List<ResourceSpec.Ingress> rules(List<IpPermission> permissions, Map<String, String> groupNames) {
        List<ResourceSpec.Ingress> ingress = new ArrayList<>();
        for (IpPermission permission : permissions) {
            boolean oneTcpPort = "tcp".equals(permission.ipProtocol())
                    && permission.fromPort() != null
                    && permission.fromPort().equals(permission.toPort());
            int port = oneTcpPort
                    ? permission.fromPort()
                    : "-1".equals(permission.ipProtocol()) ? ResourceSpec.ALL_TRAFFIC : -2;
            permission.ipRanges().forEach(r -> ingress.add(new ResourceSpec.Ingress(port, r.cidrIp(), null)));
            permission.ipv6Ranges().forEach(r -> ingress.add(new ResourceSpec.Ingress(port, r.cidrIpv6(), null)));
            permission
                    .prefixListIds()
                    .forEach(r -> ingress.add(new ResourceSpec.Ingress(port, r.prefixListId(), null)));
            permission
                    .userIdGroupPairs()
                    .forEach(p -> ingress.add(
                            new ResourceSpec.Ingress(port, null, groupNames.getOrDefault(p.groupId(), p.groupId()))));
        }
        return ingress;
    }

    @Override
    public String make(Resource resource, ResourceSpec.SecurityGroup spec, ApplyContext context) {
        return call(
                "ec2:CreateSecurityGroup",
                resource.name(),
                () -> context.aws()
                        .ec2()
                        .createSecurityGroup(b -> b.groupName(resource.name())
                                .description(spec.description())
                                .vpcId(context.ref(ResourceKind.VPC, spec.vpcId()))
                                .tagSpecifications(TagSpecification.builder()
                                        .resourceType(ResourceType.SECURITY_GROUP)
                                        .tags(context.tags(resource, false).ec2())
                                        .build()))
                        .groupId());
    }

    /**
     * Revokes every ingress rule there is and authorizes the spec's; the egress rules likewise, when
     * they differ (a group is made with AWS's allow-all egress, which most specs keep).
     */
    @Override
    public void settle(Resource resource, ResourceSpec.SecurityGroup spec, String groupId, ApplyContext context) {
        var ec2 = context.aws().ec2();
        var group = call(
                "ec2:DescribeSecurityGroups",
                resource.name(),
                () -> ec2.describeSecurityGroups(b -> b.groupIds(groupId))
                        .securityGroups()
                        .get(0));
        var current = group.ipPermissions();
        if (!current.isEmpty()) {
            run(
                    "ec2:RevokeSecurityGroupIngress",
                    resource.name(),
                    () -> ec2.revokeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(current)));
        }
        List<IpPermission> permissions = permissions(spec.ingress(), context);
        run(
                "ec2:AuthorizeSecurityGroupIngress",
                resource.name(),
                () -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(permissions)));
        var currentEgress = group.ipPermissionsEgress();
        if (!new HashSet<>(rules(currentEgress, Map.of())).equals(new HashSet<>(spec.egress()))) {
            if (!currentEgress.isEmpty()) {
                run(
                        "ec2:RevokeSecurityGroupEgress",
                        resource.name(),
                        () -> ec2.revokeSecurityGroupEgress(
                                b -> b.groupId(groupId).ipPermissions(currentEgress)));
            }
            List<IpPermission> egress = permissions(spec.egress(), context);
            run(
                    "ec2:AuthorizeSecurityGroupEgress",
                    resource.name(),
                    () -> ec2.authorizeSecurityGroupEgress(
                            b -> b.groupId(groupId).ipPermissions(egress)));
        }
        context.tagDone(
                "ec2:CreateTags",
                resource,
                tags -> ec2.createTags(b -> b.resources(groupId).tags(tags.ec2())));
    }

    private static List<IpPermission> permissions(List<ResourceSpec.Ingress> rules, ApplyContext context) {
        List<IpPermission> permissions = new ArrayList<>();
        for (ResourceSpec.Ingress rule : rules) {
            IpPermission.Builder permission = rule.port() == ResourceSpec.ALL_TRAFFIC
                    ? IpPermission.builder().ipProtocol("-1")
                    : IpPermission.builder()
                            .ipProtocol("tcp")
                            .fromPort(rule.port())
                            .toPort(rule.port());
            if (rule.cidr() != null) {
                permission.ipRanges(IpRange.builder().cidrIp(rule.cidr()).build());
            } else {
                permission.userIdGroupPairs(UserIdGroupPair.builder()
                        .groupId(context.id(ResourceKind.SECURITY_GROUP, rule.sourceGroup()))
                        .build());
            }
            permissions.add(permission.build());
        }
        return permissions;
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        context.retryWhileInUse(
                "ec2:DeleteSecurityGroup",
                existing.name(),
                () -> context.aws().ec2().deleteSecurityGroup(b -> b.groupId(existing.id())));
    }
}
