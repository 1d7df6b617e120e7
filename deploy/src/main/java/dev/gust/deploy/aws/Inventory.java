package dev.gust.deploy.aws;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.model.Account;
import dev.gust.deploy.model.DeployConfig;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Network;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads what exists of a deployment: every resource the deployment's names can denote, found by
 * name and claimed only when it carries the tag {@code gust:deployment=NAME}. A name taken by a
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
        var identity = call("sts:GetCallerIdentity", "the caller", () -> aws.sts().getCallerIdentity());
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
            subnets = call("ec2:DescribeSubnets", String.join(",", config.subnetIds()),
                    () -> aws.ec2().describeSubnets(r -> r.subnetIds(config.subnetIds())).subnets());
        } else {
            String vpcId = config.vpcId();
            if (vpcId == null) {
                List<Vpc> vpcs = call("ec2:DescribeVpcs", "the default VPC",
                        () -> aws.ec2().describeVpcs(r -> r.filters(Filter.builder().name("isDefault").values("true").build())).vpcs());
                if (vpcs.isEmpty()) {
                    throw new DeployException("no default VPC in " + aws.region().id()
                            + ": give network.vpc_id or network.subnet_ids in deploy.yaml");
                }
                vpcId = vpcs.get(0).vpcId();
            }
            String vpc = vpcId;
            subnets = call("ec2:DescribeSubnets", vpc,
                    () -> aws.ec2().describeSubnets(r -> r.filters(Filter.builder().name("vpc-id").values(vpc).build())).subnets());
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
        for (Subnet subnet : subnets.stream().sorted(java.util.Comparator.comparing(Subnet::subnetId)).toList()) {
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
        var zones = call("ec2:DescribeAvailabilityZones", aws.region().id(), () -> aws.ec2().describeAvailabilityZones().availabilityZones());
        List<String> usable = zones.stream()
                .filter(z -> z.zoneType() == null || "availability-zone".equals(z.zoneType()))
                .filter(z -> z.state() == null || "available".equals(z.stateAsString()))
                .map(z -> z.zoneName()).sorted().limit(2).toList();
        if (usable.size() < 2) {
            throw new DeployException(aws.region().id() + " has " + usable.size() + " available zone; network.create_vpc needs two");
        }
        return usable;
    }

    /** Every resource of the deployment that exists, in creation order. */
    public List<Existing> existing() {
        List<Existing> found = new ArrayList<>();
        // The deployment's own network, if it has one (found by its Name tags whatever deploy.yaml
        // says now). The VPC is made first and deleted last, so without it there is none of the
        // rest, and a deployment in an existing VPC needs no permission beyond ec2:DescribeVpcs.
        for (ResourceKind kind : List.of(ResourceKind.VPC, ResourceKind.INTERNET_GATEWAY, ResourceKind.SUBNET,
                ResourceKind.ELASTIC_IP, ResourceKind.NAT_GATEWAY, ResourceKind.ROUTE_TABLE)) {
            found.addAll(handlers.of(kind).find(new FindContext(aws, names, found)));
        }
        repository().ifPresent(found::add);
        found.addAll(handlers.of(ResourceKind.SECURITY_GROUP).find(new FindContext(aws, names, found)));
        dbSubnetGroup().ifPresent(found::add);
        for (String secret : List.of("database-password", "encryption-key", "admin-password")) {
            secret(ResourceKind.SECRET, names.secret(secret)).ifPresent(found::add);
        }
        dbInstance().ifPresent(found::add);
        secret(ResourceKind.DATABASE_URL_SECRET, names.secret("database-url")).ifPresent(found::add);
        for (String role : List.of(names.executionRole(), names.taskRole())) {
            role(role).ifPresent(found::add);
        }
        for (String component : List.of(DesiredState.WEBSERVER, DesiredState.SCHEDULER, DesiredState.WORKER)) {
            logGroup(names.logGroup(component)).ifPresent(found::add);
        }
        Optional<Existing> cluster = cluster();
        cluster.ifPresent(found::add);
        for (String component : List.of(DesiredState.WEBSERVER, DesiredState.SCHEDULER, DesiredState.WORKER)) {
            taskDefinition(names.taskFamily(component)).ifPresent(found::add);
        }
        Optional<Existing> loadBalancer = loadBalancer();
        loadBalancer.ifPresent(found::add);
        targetGroup().ifPresent(found::add);
        loadBalancer.ifPresent(lb -> found.addAll(listeners(lb.id())));
        if (cluster.isPresent()) {
            found.addAll(services());
        }
        return found;
    }

    private Existing claim(ResourceKind kind, String name, String id, Map<String, String> tags) {
        String owner = tags.get(Names.DEPLOYMENT_TAG);
        if (!names.deployment().equals(owner)) {
            throw new DeployException("the " + kind.label() + " name '" + name + "' is taken by a resource that is not part of "
                    + "deployment '" + names.deployment() + "' (" + (owner == null ? "it has no " + Names.DEPLOYMENT_TAG + " tag"
                    : "it belongs to deployment '" + owner + "'") + "): choose another --name or remove it");
        }
        return new Existing(kind, name, id, tags.get(Names.FINGERPRINT_TAG));
    }

    private static <T> Map<String, String> tags(List<T> tags, Function<T, String> key, Function<T, String> value) {
        Map<String, String> map = new HashMap<>();
        for (T tag : tags) {
            map.put(key.apply(tag), value.apply(tag));
        }
        return map;
    }

    Optional<Existing> repository() {
        String name = names.repository();
        try {
            Repository repo = call("ecr:DescribeRepositories", name,
                    () -> aws.ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().get(0));
            var tags = call("ecr:ListTagsForResource", name, () -> aws.ecr().listTagsForResource(r -> r.resourceArn(repo.repositoryArn())).tags());
            return Optional.of(claim(ResourceKind.REPOSITORY, name, repo.repositoryUri(), tags(tags, t -> t.key(), t -> t.value())));
        } catch (DeployException e) {
            if (e.getCause() instanceof RepositoryNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<Existing> dbSubnetGroup() {
        String name = names.dbSubnetGroup();
        try {
            var group = call("rds:DescribeDBSubnetGroups", name,
                    () -> aws.rds().describeDBSubnetGroups(r -> r.dbSubnetGroupName(name)).dbSubnetGroups().get(0));
            var tags = call("rds:ListTagsForResource", name,
                    () -> aws.rds().listTagsForResource(r -> r.resourceName(group.dbSubnetGroupArn())).tagList());
            return Optional.of(claim(ResourceKind.DB_SUBNET_GROUP, name, group.dbSubnetGroupArn(), tags(tags, t -> t.key(), t -> t.value())));
        } catch (DeployException e) {
            if (e.getCause() instanceof DbSubnetGroupNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<Existing> dbInstance() {
        String name = names.dbInstance();
        try {
            var instance = call("rds:DescribeDBInstances", name,
                    () -> aws.rds().describeDBInstances(r -> r.dbInstanceIdentifier(name)).dbInstances().get(0));
            return Optional.of(claim(ResourceKind.DB_INSTANCE, name, instance.dbInstanceArn(),
                    tags(instance.tagList(), t -> t.key(), t -> t.value())));
        } catch (DeployException e) {
            if (e.getCause() instanceof DbInstanceNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<Existing> secret(ResourceKind kind, String name) {
        try {
            var secret = call("secretsmanager:DescribeSecret", name, () -> aws.secrets().describeSecret(r -> r.secretId(name)));
            if (secret.deletedDate() != null) {
                throw new DeployException("secret " + name + " is scheduled for deletion: restore it (aws secretsmanager"
                        + " restore-secret) or delete it for good before deploying");
            }
            return Optional.of(claim(kind, name, secret.arn(), tags(secret.tags(), t -> t.key(), t -> t.value())));
        } catch (DeployException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<Existing> role(String name) {
        try {
            var role = call("iam:GetRole", name, () -> aws.iam().getRole(r -> r.roleName(name)).role());
            var tags = call("iam:ListRoleTags", name, () -> aws.iam().listRoleTags(r -> r.roleName(name)).tags());
            return Optional.of(claim(ResourceKind.ROLE, name, role.arn(), tags(tags, t -> t.key(), t -> t.value())));
        } catch (DeployException e) {
            if (e.getCause() instanceof NoSuchEntityException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<Existing> logGroup(String name) {
        var groups = call("logs:DescribeLogGroups", name,
                () -> aws.logs().describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups());
        var group = groups.stream().filter(g -> g.logGroupName().equals(name)).findFirst();
        if (group.isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("deprecation")
        Map<String, String> tags = call("logs:ListTagsLogGroup", name,
                () -> aws.logs().listTagsLogGroup(r -> r.logGroupName(name)).tags());
        return Optional.of(claim(ResourceKind.LOG_GROUP, name, group.get().arn(), tags));
    }

    Optional<Existing> cluster() {
        String name = names.cluster();
        var clusters = call("ecs:DescribeClusters", name,
                () -> aws.ecs().describeClusters(r -> r.clusters(name).include(ClusterField.TAGS)).clusters());
        return clusters.stream().filter(c -> "ACTIVE".equals(c.status())).findFirst()
                .map(c -> claim(ResourceKind.CLUSTER, name, c.clusterArn(), tags(c.tags(), t -> t.key(), t -> t.value())));
    }

    Optional<Existing> taskDefinition(String family) {
        var arns = call("ecs:ListTaskDefinitions", family, () -> aws.ecs().listTaskDefinitions(
                r -> r.familyPrefix(family).status("ACTIVE").sort("DESC")).taskDefinitionArns());
        // familyPrefix matches by prefix: gust-a-webserver would also list gust-a-webserver2's.
        // The newest revision by number, whatever order the listing comes in.
        var latest = arns.stream().filter(arn -> arn.substring(arn.lastIndexOf('/') + 1).startsWith(family + ":"))
                .max(java.util.Comparator.comparingInt(arn -> Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1))));
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        var described = call("ecs:DescribeTaskDefinition", family, () -> aws.ecs().describeTaskDefinition(
                r -> r.taskDefinition(latest.get()).include(TaskDefinitionField.TAGS)));
        return Optional.of(claim(ResourceKind.TASK_DEFINITION, family, described.taskDefinition().taskDefinitionArn(),
                tags(described.tags(), t -> t.key(), t -> t.value())));
    }

    Optional<Existing> loadBalancer() {
        String name = names.loadBalancer();
        try {
            var lb = call("elasticloadbalancing:DescribeLoadBalancers", name,
                    () -> aws.elb().describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0));
            return Optional.of(claim(ResourceKind.LOAD_BALANCER, name, lb.loadBalancerArn(), elbTags(lb.loadBalancerArn())));
        } catch (DeployException e) {
            if (e.getCause() instanceof LoadBalancerNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Optional<Existing> targetGroup() {
        String name = names.targetGroup();
        try {
            var tg = call("elasticloadbalancing:DescribeTargetGroups", name,
                    () -> aws.elb().describeTargetGroups(r -> r.names(name)).targetGroups().get(0));
            return Optional.of(claim(ResourceKind.TARGET_GROUP, name, tg.targetGroupArn(), elbTags(tg.targetGroupArn())));
        } catch (DeployException e) {
            if (e.getCause() instanceof TargetGroupNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private List<Existing> listeners(String loadBalancerArn) {
        var listeners = call("elasticloadbalancing:DescribeListeners", names.loadBalancer(),
                () -> aws.elb().describeListeners(r -> r.loadBalancerArn(loadBalancerArn)).listeners());
        List<Existing> found = new ArrayList<>();
        for (var listener : listeners) {
            Map<String, String> tags = elbTags(listener.listenerArn());
            String name = tags.getOrDefault(Names.RESOURCE_TAG, names.listener(listener.protocolAsString().toLowerCase()));
            found.add(claim(ResourceKind.LISTENER, name, listener.listenerArn(), tags));
        }
        found.sort(java.util.Comparator.comparing(Existing::name).reversed()); // https before http, as created
        return found;
    }

    private Map<String, String> elbTags(String arn) {
        var descriptions = call("elasticloadbalancing:DescribeTags", arn,
                () -> aws.elb().describeTags(r -> r.resourceArns(arn)).tagDescriptions());
        return descriptions.isEmpty() ? Map.of() : tags(descriptions.get(0).tags(), t -> t.key(), t -> t.value());
    }

    private List<Existing> services() {
        var services = call("ecs:DescribeServices", names.cluster(), () -> aws.ecs().describeServices(r -> r.cluster(names.cluster())
                .services(DesiredState.WEBSERVER, DesiredState.SCHEDULER).include(ServiceField.TAGS)).services());
        return services.stream().filter(s -> !"INACTIVE".equals(s.status()))
                .sorted(java.util.Comparator.comparing(s -> s.serviceName().equals(DesiredState.WEBSERVER) ? 0 : 1))
                .map(s -> claim(ResourceKind.SERVICE, s.serviceName(), s.serviceArn(), tags(s.tags(), t -> t.key(), t -> t.value())))
                .toList();
    }
}
