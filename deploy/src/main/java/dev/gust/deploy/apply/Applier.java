package dev.gust.deploy.apply;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import dev.gust.deploy.plan.Plan;
import dev.gust.deploy.plan.PlanAction;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * Executes a {@link Plan} against AWS, one action at a time in the plan's order. Every resource is
 * created with the tag {@code gust:deployment}; the fingerprint tag is written last (with the
 * create call where that call is the whole creation, after the last step otherwise), so a run
 * that stops halfway leaves resources that the next plan finds and finishes ("update (unfinished)").
 */
public final class Applier {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AwsClients aws;
    private final Names names;
    private final PrintStream out;
    /** Names of resources already made (or found) to the ids and ARNs later resources refer to. */
    private final Map<String, String> ids = new HashMap<>();
    private String givenDatabaseUrl;

    public Applier(AwsClients aws, Names names, PrintStream out) {
        this.aws = aws;
        this.names = names;
        this.out = out;
    }

    /** Runs every action of {@code plan}; {@code existing} supplies the ids of what is already there. */
    public void apply(Plan plan, List<Existing> existing) {
        for (Existing e : existing) {
            ids.put(e.key(), e.id());
        }
        for (PlanAction action : plan.actions()) {
            if (action instanceof PlanAction.NoChange) {
                continue;
            }
            out.printf("%s %s %s ...%n", action.symbol(), action.kind().label(), action.name());
            switch (action) {
                case PlanAction.Create c -> create(c.desired());
                case PlanAction.Update u -> update(u.desired(), u.existing());
                case PlanAction.Delete d -> delete(d.existing());
                case PlanAction.NoChange n -> { }
            }
        }
    }

    private String id(ResourceKind kind, String name) {
        String id = ids.get(kind + "/" + name);
        if (id == null) {
            throw new IllegalStateException(kind + " " + name + " should exist by now");
        }
        return id;
    }

    private void remember(Resource resource, String id) {
        ids.put(resource.key(), id);
    }

    private Map<String, String> tags(Resource resource, boolean withFingerprint) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put(Names.DEPLOYMENT_TAG, names.deployment());
        tags.put(Names.RESOURCE_TAG, resource.name());
        if (withFingerprint) {
            tags.put(Names.FINGERPRINT_TAG, resource.fingerprint());
        }
        return tags;
    }

    // ---------------------------------------------------------------- create

    private void create(Resource resource) {
        Map<String, String> tags = tags(resource, true);
        String name = resource.name();
        switch (resource.spec()) {
            case ResourceSpec.Vpc v -> {
                String vpcId = call("ec2:CreateVpc", name, () -> aws.ec2().createVpc(b -> b.cidrBlock(v.cidr())
                        .tagSpecifications(ec2TagSpec(ResourceType.VPC, resource))).vpc().vpcId());
                remember(resource, vpcId);
                call("ec2:DescribeVpcs", name, () -> aws.ec2().waiter().waitUntilVpcAvailable(b -> b.vpcIds(vpcId)));
                setVpc(resource, v, vpcId);
            }
            case ResourceSpec.InternetGateway g -> {
                String gatewayId = call("ec2:CreateInternetGateway", name, () -> aws.ec2().createInternetGateway(b -> b
                        .tagSpecifications(ec2TagSpec(ResourceType.INTERNET_GATEWAY, resource))).internetGateway().internetGatewayId());
                remember(resource, gatewayId);
                setInternetGateway(resource, g, gatewayId);
            }
            case ResourceSpec.Subnet n -> {
                String subnetId = call("ec2:CreateSubnet", name, () -> aws.ec2().createSubnet(b -> b.vpcId(id(ResourceKind.VPC, n.vpc()))
                        .cidrBlock(n.cidr()).availabilityZone(n.availabilityZone())
                        .tagSpecifications(ec2TagSpec(ResourceType.SUBNET, resource))).subnet().subnetId());
                remember(resource, subnetId);
                setSubnet(resource, n, subnetId);
            }
            case ResourceSpec.ElasticIp e -> {
                // One call: tagged with the fingerprint as it is made.
                String allocationId = call("ec2:AllocateAddress", name, () -> aws.ec2().allocateAddress(b -> b.domain(DomainType.VPC)
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.ELASTIC_IP)
                                .tags(ec2Tags(ec2Named(resource, true))).build())).allocationId());
                remember(resource, allocationId);
            }
            case ResourceSpec.NatGateway n -> {
                String gatewayId = call("ec2:CreateNatGateway", name, () -> aws.ec2().createNatGateway(b -> b
                        .subnetId(id(ResourceKind.SUBNET, n.subnet())).allocationId(id(ResourceKind.ELASTIC_IP, n.elasticIp()))
                        .tagSpecifications(ec2TagSpec(ResourceType.NATGATEWAY, resource))).natGateway().natGatewayId());
                remember(resource, gatewayId);
                finishNatGateway(resource, gatewayId);
            }
            case ResourceSpec.RouteTable t -> {
                String tableId = call("ec2:CreateRouteTable", name, () -> aws.ec2().createRouteTable(b -> b.vpcId(id(ResourceKind.VPC, t.vpc()))
                        .tagSpecifications(ec2TagSpec(ResourceType.ROUTE_TABLE, resource))).routeTable().routeTableId());
                remember(resource, tableId);
                setRoutes(resource, t, tableId);
            }
            case ResourceSpec.Repository r -> {
                var repo = call("ecr:CreateRepository", name, () -> aws.ecr().createRepository(b -> b.repositoryName(name)
                        .imageScanningConfiguration(s -> s.scanOnPush(true))
                        .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecr.model.Tag.builder()
                                .key(e.getKey()).value(e.getValue()).build()).toList())).repository());
                remember(resource, repo.repositoryUri());
            }
            case ResourceSpec.SecurityGroup g -> {
                String groupId = call("ec2:CreateSecurityGroup", name, () -> aws.ec2().createSecurityGroup(b -> b.groupName(name)
                        .description(g.description()).vpcId(ref(ResourceKind.VPC, g.vpcId()))
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                                .tags(ec2Tags(tags(resource, false))).build())).groupId());
                remember(resource, groupId);
                setIngress(resource, g, groupId);
            }
            case ResourceSpec.DbSubnetGroup s -> {
                var group = call("rds:CreateDBSubnetGroup", name, () -> aws.rds().createDBSubnetGroup(b -> b.dbSubnetGroupName(name)
                        .dbSubnetGroupDescription("Gust " + names.deployment()).subnetIds(subnets(s.subnetIds()))
                        .tags(rdsTags(tags))).dbSubnetGroup());
                remember(resource, group.dbSubnetGroupArn());
            }
            case ResourceSpec.Secret s -> {
                String value = secretValue(resource, s);
                var created = call("secretsmanager:CreateSecret", name, () -> aws.secrets().createSecret(b -> b.name(name)
                        .description("Gust " + names.deployment()).secretString(value)
                        .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.secretsmanager.model.Tag.builder()
                                .key(e.getKey()).value(e.getValue()).build()).toList())));
                remember(resource, created.arn());
            }
            case ResourceSpec.DbInstance d -> {
                String password = readSecret(d.passwordSecret());
                var instance = call("rds:CreateDBInstance", name, () -> aws.rds().createDBInstance(b -> b.dbInstanceIdentifier(name)
                        .engine("postgres").engineVersion(d.engineVersion()).dbInstanceClass(d.instanceClass())
                        .allocatedStorage(d.allocatedStorageGb()).dbName(d.databaseName())
                        .masterUsername(d.username()).masterUserPassword(password)
                        .vpcSecurityGroupIds(id(ResourceKind.SECURITY_GROUP, d.securityGroup()))
                        .dbSubnetGroupName(d.subnetGroup()).publiclyAccessible(false).storageEncrypted(true)
                        .multiAZ(d.multiAz()).backupRetentionPeriod(7).copyTagsToSnapshot(false)
                        .tags(rdsTags(tags))).dbInstance());
                remember(resource, instance.dbInstanceArn());
                waitForDatabase(name);
            }
            case ResourceSpec.Role r -> {
                var role = call("iam:CreateRole", name, () -> aws.iam().createRole(b -> b.roleName(name)
                        .assumeRolePolicyDocument(trustPolicy(r.trustedService()))
                        .description("Gust " + names.deployment())
                        .tags(iamTags(tags(resource, false)))).role());
                remember(resource, role.arn());
                run("iam:PutRolePolicy", name, () -> aws.iam().putRolePolicy(b -> b.roleName(name)
                        .policyName(r.policyName()).policyDocument(r.policyDocument())));
                run("iam:TagRole", name, () -> aws.iam().tagRole(b -> b.roleName(name).tags(iamTags(tags))));
            }
            case ResourceSpec.LogGroup l -> {
                try {
                    run("logs:CreateLogGroup", name, () -> aws.logs().createLogGroup(b -> b.logGroupName(name)
                            .tags(tags(resource, false))));
                } catch (DeployException e) {
                    if (!(e.getCause() instanceof ResourceAlreadyExistsException)) {
                        throw e;
                    }
                }
                run("logs:PutRetentionPolicy", name, () -> aws.logs().putRetentionPolicy(b -> b.logGroupName(name)
                        .retentionInDays(l.retentionDays())));
                tagLogGroup(name, tags);
                remember(resource, name);
            }
            case ResourceSpec.Cluster c -> {
                var cluster = call("ecs:CreateCluster", name, () -> aws.ecs().createCluster(b -> b.clusterName(name)
                        .capacityProviders("FARGATE")
                        .settings(s -> s.name("containerInsights").value(c.containerInsights() ? "enabled" : "disabled"))
                        .tags(ecsTags(tags))).cluster());
                remember(resource, cluster.clusterArn());
            }
            case ResourceSpec.TaskDefinition t -> registerTaskDefinition(resource, t, tags);
            case ResourceSpec.LoadBalancer l -> {
                var lb = call("elasticloadbalancing:CreateLoadBalancer", name, () -> aws.elb().createLoadBalancer(b -> b.name(name)
                        .subnets(subnets(l.subnetIds())).securityGroups(id(ResourceKind.SECURITY_GROUP, l.securityGroup()))
                        .scheme(LoadBalancerSchemeEnum.INTERNET_FACING).type(LoadBalancerTypeEnum.APPLICATION)
                        .tags(elbTags(tags))).loadBalancers().get(0));
                remember(resource, lb.loadBalancerArn());
                call("elasticloadbalancing:DescribeLoadBalancers", name, () -> aws.elb().waiter()
                        .waitUntilLoadBalancerAvailable(b -> b.loadBalancerArns(lb.loadBalancerArn())));
            }
            case ResourceSpec.TargetGroup t -> {
                var tg = call("elasticloadbalancing:CreateTargetGroup", name, () -> aws.elb().createTargetGroup(b -> b.name(name)
                        .protocol(ProtocolEnum.HTTP).port(t.port()).vpcId(ref(ResourceKind.VPC, t.vpcId())).targetType(TargetTypeEnum.IP)
                        .healthCheckPath(t.healthPath()).healthCheckIntervalSeconds(t.intervalSeconds())
                        .healthCheckTimeoutSeconds(t.timeoutSeconds()).unhealthyThresholdCount(t.unhealthyThreshold())
                        .healthyThresholdCount(2).matcher(m -> m.httpCode("200"))
                        .tags(elbTags(tags))).targetGroups().get(0));
                remember(resource, tg.targetGroupArn());
            }
            case ResourceSpec.Listener l -> {
                var listener = call("elasticloadbalancing:CreateListener", name, () -> aws.elb().createListener(b -> {
                    b.loadBalancerArn(id(ResourceKind.LOAD_BALANCER, l.loadBalancer())).port(l.port())
                            .protocol(ProtocolEnum.fromValue(l.protocol())).defaultActions(listenerAction(l)).tags(elbTags(tags));
                    if (l.certificateArn() != null) {
                        b.certificates(Certificate.builder().certificateArn(l.certificateArn()).build());
                    }
                }).listeners().get(0));
                remember(resource, listener.listenerArn());
            }
            case ResourceSpec.Service s -> {
                var service = call("ecs:CreateService", name, () -> aws.ecs().createService(b -> {
                    b.cluster(s.cluster()).serviceName(name).taskDefinition(id(ResourceKind.TASK_DEFINITION, s.taskDefinition()))
                            .desiredCount(s.desiredCount()).launchType(LaunchType.FARGATE)
                            .networkConfiguration(network(s)).deploymentConfiguration(deployment())
                            .healthCheckGracePeriodSeconds(s.healthCheckGracePeriodSeconds())
                            .propagateTags(PropagateTags.SERVICE).enableECSManagedTags(true).tags(ecsTags(tags));
                    if (s.targetGroup() != null) {
                        b.loadBalancers(lb -> lb.targetGroupArn(id(ResourceKind.TARGET_GROUP, s.targetGroup()))
                                .containerName(s.containerName()).containerPort(s.containerPort()));
                    }
                }).service());
                remember(resource, service.serviceArn());
            }
        }
    }

    // ---------------------------------------------------------------- update

    private void update(Resource resource, Existing existing) {
        String name = resource.name();
        String id = existing.id();
        remember(resource, id);
        Map<String, String> tags = tags(resource, true);
        switch (resource.spec()) {
            case ResourceSpec.Vpc v -> setVpc(resource, v, id);
            case ResourceSpec.InternetGateway g -> setInternetGateway(resource, g, id);
            case ResourceSpec.Subnet n -> setSubnet(resource, n, id);
            case ResourceSpec.ElasticIp e -> run("ec2:CreateTags", name, () -> aws.ec2().createTags(b -> b.resources(id)
                    .tags(ec2Tags(ec2Named(resource, true)))));
            // Its subnet and address are fixed names: an update only finishes one a run left unfinished.
            case ResourceSpec.NatGateway n -> finishNatGateway(resource, id);
            case ResourceSpec.RouteTable t -> setRoutes(resource, t, id);
            case ResourceSpec.Repository r -> run("ecr:TagResource", name, () -> aws.ecr().tagResource(b -> b.resourceArn(
                    call("ecr:DescribeRepositories", name, () -> aws.ecr().describeRepositories(d -> d.repositoryNames(name))
                            .repositories().get(0).repositoryArn()))
                    .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecr.model.Tag.builder()
                            .key(e.getKey()).value(e.getValue()).build()).toList())));
            case ResourceSpec.SecurityGroup g -> setIngress(resource, g, id);
            case ResourceSpec.DbSubnetGroup s -> {
                run("rds:ModifyDBSubnetGroup", name, () -> aws.rds().modifyDBSubnetGroup(b -> b.dbSubnetGroupName(name)
                        .subnetIds(subnets(s.subnetIds()))));
                run("rds:AddTagsToResource", name, () -> aws.rds().addTagsToResource(b -> b.resourceName(id).tags(rdsTags(tags))));
            }
            case ResourceSpec.Secret s -> {
                // Generated values are never replaced by a re-run (that would lock out the database
                // and make stored connections undecryptable); given and derived values follow their source.
                if (s.source() == ResourceSpec.SecretSource.GIVEN || s.source() == ResourceSpec.SecretSource.DATABASE_URL_FROM_INSTANCE) {
                    String value = secretValue(resource, s);
                    run("secretsmanager:PutSecretValue", name, () -> aws.secrets().putSecretValue(b -> b.secretId(id).secretString(value)));
                }
                run("secretsmanager:TagResource", name, () -> aws.secrets().tagResource(b -> b.secretId(id)
                        .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.secretsmanager.model.Tag.builder()
                                .key(e.getKey()).value(e.getValue()).build()).toList())));
            }
            case ResourceSpec.DbInstance d -> {
                run("rds:ModifyDBInstance", name, () -> aws.rds().modifyDBInstance(b -> b.dbInstanceIdentifier(name)
                        .dbInstanceClass(d.instanceClass()).allocatedStorage(d.allocatedStorageGb()).multiAZ(d.multiAz())
                        .engineVersion(d.engineVersion()).vpcSecurityGroupIds(id(ResourceKind.SECURITY_GROUP, d.securityGroup()))
                        .applyImmediately(true)));
                waitForDatabase(name);
                run("rds:AddTagsToResource", name, () -> aws.rds().addTagsToResource(b -> b.resourceName(id).tags(rdsTags(tags))));
            }
            case ResourceSpec.Role r -> {
                run("iam:UpdateAssumeRolePolicy", name, () -> aws.iam().updateAssumeRolePolicy(b -> b.roleName(name)
                        .policyDocument(trustPolicy(r.trustedService()))));
                run("iam:PutRolePolicy", name, () -> aws.iam().putRolePolicy(b -> b.roleName(name)
                        .policyName(r.policyName()).policyDocument(r.policyDocument())));
                run("iam:TagRole", name, () -> aws.iam().tagRole(b -> b.roleName(name).tags(iamTags(tags))));
            }
            case ResourceSpec.LogGroup l -> {
                run("logs:PutRetentionPolicy", name, () -> aws.logs().putRetentionPolicy(b -> b.logGroupName(name)
                        .retentionInDays(l.retentionDays())));
                tagLogGroup(name, tags);
            }
            case ResourceSpec.Cluster c -> {
                run("ecs:UpdateClusterSettings", name, () -> aws.ecs().updateClusterSettings(b -> b.cluster(name)
                        .settings(s -> s.name("containerInsights").value(c.containerInsights() ? "enabled" : "disabled"))));
                run("ecs:TagResource", name, () -> aws.ecs().tagResource(b -> b.resourceArn(id).tags(ecsTags(tags))));
            }
            // A task definition revision is immutable: a changed spec is a new revision.
            case ResourceSpec.TaskDefinition t -> registerTaskDefinition(resource, t, tags);
            case ResourceSpec.LoadBalancer l -> {
                run("elasticloadbalancing:SetSubnets", name, () -> aws.elb().setSubnets(b -> b.loadBalancerArn(id).subnets(subnets(l.subnetIds()))));
                run("elasticloadbalancing:SetSecurityGroups", name, () -> aws.elb().setSecurityGroups(b -> b.loadBalancerArn(id)
                        .securityGroups(id(ResourceKind.SECURITY_GROUP, l.securityGroup()))));
                run("elasticloadbalancing:AddTags", name, () -> aws.elb().addTags(b -> b.resourceArns(id).tags(elbTags(tags))));
            }
            case ResourceSpec.TargetGroup t -> {
                run("elasticloadbalancing:ModifyTargetGroup", name, () -> aws.elb().modifyTargetGroup(b -> b.targetGroupArn(id)
                        .healthCheckPath(t.healthPath()).healthCheckIntervalSeconds(t.intervalSeconds())
                        .healthCheckTimeoutSeconds(t.timeoutSeconds()).unhealthyThresholdCount(t.unhealthyThreshold())));
                run("elasticloadbalancing:AddTags", name, () -> aws.elb().addTags(b -> b.resourceArns(id).tags(elbTags(tags))));
            }
            case ResourceSpec.Listener l -> {
                run("elasticloadbalancing:ModifyListener", name, () -> aws.elb().modifyListener(b -> {
                    b.listenerArn(id).port(l.port()).protocol(ProtocolEnum.fromValue(l.protocol())).defaultActions(listenerAction(l));
                    if (l.certificateArn() != null) {
                        b.certificates(Certificate.builder().certificateArn(l.certificateArn()).build());
                    }
                }));
                run("elasticloadbalancing:AddTags", name, () -> aws.elb().addTags(b -> b.resourceArns(id).tags(elbTags(tags))));
            }
            case ResourceSpec.Service s -> {
                run("ecs:UpdateService", name, () -> aws.ecs().updateService(b -> {
                    b.cluster(s.cluster()).service(name).taskDefinition(id(ResourceKind.TASK_DEFINITION, s.taskDefinition()))
                            .desiredCount(s.desiredCount()).networkConfiguration(network(s)).deploymentConfiguration(deployment())
                            .healthCheckGracePeriodSeconds(s.healthCheckGracePeriodSeconds());
                    if (s.targetGroup() != null) {
                        b.loadBalancers(lb -> lb.targetGroupArn(id(ResourceKind.TARGET_GROUP, s.targetGroup()))
                                .containerName(s.containerName()).containerPort(s.containerPort()));
                    }
                }));
                run("ecs:TagResource", name, () -> aws.ecs().tagResource(b -> b.resourceArn(id).tags(ecsTags(tags))));
            }
        }
    }

    // ---------------------------------------------------------------- delete

    private void delete(Existing existing) {
        String name = existing.name();
        String id = existing.id();
        switch (existing.kind()) {
            case VPC -> retryWhileInUse("ec2:DeleteVpc", name, () -> aws.ec2().deleteVpc(b -> b.vpcId(id)));
            case INTERNET_GATEWAY -> {
                var attachments = call("ec2:DescribeInternetGateways", name, () -> aws.ec2().describeInternetGateways(b -> b
                        .internetGatewayIds(id)).internetGateways().get(0).attachments());
                for (var attachment : attachments) {
                    // Refused while the VPC still has public addresses mapped (a NAT gateway's being released).
                    retryWhileInUse("ec2:DetachInternetGateway", name, () -> aws.ec2().detachInternetGateway(b -> b
                            .internetGatewayId(id).vpcId(attachment.vpcId())));
                }
                run("ec2:DeleteInternetGateway", name, () -> aws.ec2().deleteInternetGateway(b -> b.internetGatewayId(id)));
            }
            // Network interfaces of the ALB, the tasks and RDS outlive them by minutes.
            case SUBNET -> retryWhileInUse("ec2:DeleteSubnet", name, () -> aws.ec2().deleteSubnet(b -> b.subnetId(id)));
            case ELASTIC_IP -> retryWhileInUse("ec2:ReleaseAddress", name, () -> aws.ec2().releaseAddress(b -> b.allocationId(id)));
            case NAT_GATEWAY -> {
                run("ec2:DeleteNatGateway", name, () -> aws.ec2().deleteNatGateway(b -> b.natGatewayId(id)));
                // Its address and subnet are released only once it is deleted.
                call("ec2:DescribeNatGateways", name, () -> aws.ec2().waiter().waitUntilNatGatewayDeleted(b -> b.natGatewayIds(id)));
            }
            case ROUTE_TABLE -> {
                var associations = call("ec2:DescribeRouteTables", name, () -> aws.ec2().describeRouteTables(b -> b.routeTableIds(id))
                        .routeTables().get(0).associations());
                for (var association : associations) {
                    if (!Boolean.TRUE.equals(association.main())) {
                        run("ec2:DisassociateRouteTable", name, () -> aws.ec2().disassociateRouteTable(b -> b
                                .associationId(association.routeTableAssociationId())));
                    }
                }
                run("ec2:DeleteRouteTable", name, () -> aws.ec2().deleteRouteTable(b -> b.routeTableId(id)));
            }
            case REPOSITORY -> run("ecr:DeleteRepository", name, () -> aws.ecr().deleteRepository(b -> b.repositoryName(name).force(true)));
            case SECURITY_GROUP -> retryWhileInUse("ec2:DeleteSecurityGroup", name,
                    () -> aws.ec2().deleteSecurityGroup(b -> b.groupId(id)));
            case DB_SUBNET_GROUP -> run("rds:DeleteDBSubnetGroup", name, () -> aws.rds().deleteDBSubnetGroup(b -> b.dbSubnetGroupName(name)));
            case SECRET, DATABASE_URL_SECRET -> run("secretsmanager:DeleteSecret", name, () -> aws.secrets().deleteSecret(b -> b.secretId(id)
                    .forceDeleteWithoutRecovery(true)));
            case DB_INSTANCE -> {
                // The data outlives the deployment: a final snapshot (untagged, so it is not ours to delete).
                String snapshot = name + "-final-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
                run("rds:DeleteDBInstance", name, () -> aws.rds().deleteDBInstance(b -> b.dbInstanceIdentifier(name)
                        .skipFinalSnapshot(false).finalDBSnapshotIdentifier(snapshot)));
                out.printf("  final snapshot of the database: %s%n", snapshot);
                call("rds:DescribeDBInstances", name, () -> aws.rds().waiter().waitUntilDBInstanceDeleted(b -> b.dbInstanceIdentifier(name)));
            }
            case ROLE -> {
                for (String policy : call("iam:ListRolePolicies", name, () -> aws.iam().listRolePolicies(b -> b.roleName(name)).policyNames())) {
                    run("iam:DeleteRolePolicy", name, () -> aws.iam().deleteRolePolicy(b -> b.roleName(name).policyName(policy)));
                }
                run("iam:DeleteRole", name, () -> aws.iam().deleteRole(b -> b.roleName(name)));
            }
            case LOG_GROUP -> run("logs:DeleteLogGroup", name, () -> aws.logs().deleteLogGroup(b -> b.logGroupName(name)));
            case CLUSTER -> run("ecs:DeleteCluster", name, () -> aws.ecs().deleteCluster(b -> b.cluster(name)));
            case TASK_DEFINITION -> {
                List<String> revisions = call("ecs:ListTaskDefinitions", name, () -> aws.ecs().listTaskDefinitions(b -> b.familyPrefix(name)
                        .status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns()).stream()
                        .filter(arn -> arn.substring(arn.lastIndexOf('/') + 1).startsWith(name + ":")).toList();
                for (String arn : revisions) {
                    run("ecs:DeregisterTaskDefinition", arn, () -> aws.ecs().deregisterTaskDefinition(b -> b.taskDefinition(arn)));
                }
            }
            case LOAD_BALANCER -> {
                run("elasticloadbalancing:DeleteLoadBalancer", name, () -> aws.elb().deleteLoadBalancer(b -> b.loadBalancerArn(id)));
                call("elasticloadbalancing:DescribeLoadBalancers", name, () -> aws.elb().waiter()
                        .waitUntilLoadBalancersDeleted(b -> b.loadBalancerArns(id)));
            }
            case TARGET_GROUP -> run("elasticloadbalancing:DeleteTargetGroup", name, () -> aws.elb().deleteTargetGroup(b -> b.targetGroupArn(id)));
            case LISTENER -> run("elasticloadbalancing:DeleteListener", name, () -> aws.elb().deleteListener(b -> b.listenerArn(id)));
            case SERVICE -> {
                String cluster = names.cluster();
                run("ecs:UpdateService", name, () -> aws.ecs().updateService(b -> b.cluster(cluster).service(name).desiredCount(0)));
                run("ecs:DeleteService", name, () -> aws.ecs().deleteService(b -> b.cluster(cluster).service(name).force(true)));
                call("ecs:DescribeServices", name, () -> aws.ecs().waiter().waitUntilServicesInactive(b -> b.cluster(cluster).services(name)));
            }
        }
    }

    private static final java.util.Set<String> IN_USE = java.util.Set.of("DependencyViolation", "InvalidIPAddress.InUse");

    /**
     * Deleting a security group (or a subnet, or the VPC) fails with DependencyViolation while network interfaces of the
     * just-deleted load balancer or tasks still use it; AWS releases them within minutes.
     */
    private void retryWhileInUse(String action, String name, Runnable call) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            try {
                run(action, name, call);
                return;
            } catch (DeployException e) {
                boolean inUse = e.getCause() instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s
                        && IN_USE.contains(s.awsErrorDetails().errorCode());
                if (!inUse || System.nanoTime() > deadline) {
                    throw e;
                }
                out.printf("  %s is still in use; retrying%n", name);
                sleep(Duration.ofSeconds(10));
            }
        }
    }

    // ---------------------------------------------------------------- pieces

    /** A VPC or subnet reference: one of the deployment's own by name (made by now), or an AWS id from deploy.yaml. */
    private String ref(ResourceKind kind, String nameOrId) {
        String id = ids.get(kind + "/" + nameOrId);
        return id != null ? id : nameOrId;
    }

    /** An environment value with the AWS ids its name references stand for (see DesiredState.SUBNET_IDS_OF). */
    private String resolvedValue(String value) {
        if (value.startsWith(DesiredState.SUBNET_IDS_OF)) {
            return String.join(",", subnets(List.of(value.substring(DesiredState.SUBNET_IDS_OF.length()).split(","))));
        }
        if (value.startsWith(DesiredState.VPC_CIDR_OF)) {
            String vpcId = ref(ResourceKind.VPC, value.substring(DesiredState.VPC_CIDR_OF.length()));
            return call("ec2:DescribeVpcs", vpcId, () -> aws.ec2().describeVpcs(b -> b.vpcIds(vpcId)).vpcs().get(0).cidrBlock());
        }
        if (value.startsWith(DesiredState.SECURITY_GROUP_ID_OF)) {
            return id(ResourceKind.SECURITY_GROUP, value.substring(DesiredState.SECURITY_GROUP_ID_OF.length()));
        }
        return value;
    }

    private List<String> subnets(List<String> namesOrIds) {
        return namesOrIds.stream().map(s -> ref(ResourceKind.SUBNET, s)).toList();
    }

    /** The deployment's tags plus Name, which the EC2 console shows and the inventory finds network resources by. */
    private Map<String, String> ec2Named(Resource resource, boolean withFingerprint) {
        Map<String, String> tags = tags(resource, withFingerprint);
        tags.put("Name", resource.name());
        return tags;
    }

    /** Tags at creation without the fingerprint, which is written once the last step is done. */
    private TagSpecification ec2TagSpec(ResourceType type, Resource resource) {
        return TagSpecification.builder().resourceType(type).tags(ec2Tags(ec2Named(resource, false))).build();
    }

    private void tagDone(Resource resource, String id) {
        run("ec2:CreateTags", resource.name(), () -> aws.ec2().createTags(b -> b.resources(id).tags(ec2Tags(ec2Named(resource, true)))));
    }

    private void setVpc(Resource resource, ResourceSpec.Vpc v, String vpcId) {
        String cidr = call("ec2:DescribeVpcs", resource.name(), () -> aws.ec2().describeVpcs(b -> b.vpcIds(vpcId)).vpcs().get(0).cidrBlock());
        if (!cidr.equals(v.cidr())) {
            throw new DeployException("VPC " + resource.name() + " has CIDR " + cidr + ", deploy.yaml says " + v.cidr()
                    + ": a VPC's block cannot change (gust deploy down first)");
        }
        // One attribute per call, as the API requires.
        run("ec2:ModifyVpcAttribute", resource.name(), () -> aws.ec2().modifyVpcAttribute(b -> b.vpcId(vpcId)
                .enableDnsSupport(a -> a.value(v.dnsSupport()))));
        run("ec2:ModifyVpcAttribute", resource.name(), () -> aws.ec2().modifyVpcAttribute(b -> b.vpcId(vpcId)
                .enableDnsHostnames(a -> a.value(v.dnsHostnames()))));
        tagDone(resource, vpcId);
    }

    private void setInternetGateway(Resource resource, ResourceSpec.InternetGateway g, String gatewayId) {
        String vpcId = id(ResourceKind.VPC, g.vpc());
        var attachments = call("ec2:DescribeInternetGateways", resource.name(), () -> aws.ec2().describeInternetGateways(b -> b
                .internetGatewayIds(gatewayId)).internetGateways().get(0).attachments());
        if (attachments.stream().noneMatch(a -> vpcId.equals(a.vpcId()))) {
            run("ec2:AttachInternetGateway", resource.name(), () -> aws.ec2().attachInternetGateway(b -> b
                    .internetGatewayId(gatewayId).vpcId(vpcId)));
        }
        tagDone(resource, gatewayId);
    }

    private void setSubnet(Resource resource, ResourceSpec.Subnet n, String subnetId) {
        var subnet = call("ec2:DescribeSubnets", resource.name(), () -> aws.ec2().describeSubnets(b -> b.subnetIds(subnetId)).subnets().get(0));
        if (!subnet.cidrBlock().equals(n.cidr()) || !subnet.availabilityZone().equals(n.availabilityZone())) {
            throw new DeployException("subnet " + resource.name() + " is " + subnet.cidrBlock() + " in " + subnet.availabilityZone()
                    + ", deploy.yaml makes it " + n.cidr() + " in " + n.availabilityZone() + ": gust deploy down first");
        }
        tagDone(resource, subnetId);
    }

    private void finishNatGateway(Resource resource, String gatewayId) {
        out.printf("  waiting for the NAT gateway %s to be available (a minute or two)%n", resource.name());
        call("ec2:DescribeNatGateways", resource.name(), () -> aws.ec2().waiter().waitUntilNatGatewayAvailable(b -> b.natGatewayIds(gatewayId)));
        tagDone(resource, gatewayId);
    }

    /** The one default route (replaced if it points elsewhere) and the subnets' associations. */
    private void setRoutes(Resource resource, ResourceSpec.RouteTable t, String tableId) {
        String name = resource.name();
        var table = call("ec2:DescribeRouteTables", name, () -> aws.ec2().describeRouteTables(b -> b.routeTableIds(tableId)).routeTables().get(0));
        String gatewayId = t.internetGateway() != null ? id(ResourceKind.INTERNET_GATEWAY, t.internetGateway()) : null;
        String natId = t.natGateway() != null ? id(ResourceKind.NAT_GATEWAY, t.natGateway()) : null;
        var current = table.routes().stream().filter(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())).findFirst();
        if (current.isEmpty()) {
            run("ec2:CreateRoute", name, () -> aws.ec2().createRoute(b -> b.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0")
                    .gatewayId(gatewayId).natGatewayId(natId)));
        } else if (!java.util.Objects.equals(current.get().gatewayId(), gatewayId) || !java.util.Objects.equals(current.get().natGatewayId(), natId)) {
            run("ec2:ReplaceRoute", name, () -> aws.ec2().replaceRoute(b -> b.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0")
                    .gatewayId(gatewayId).natGatewayId(natId)));
        }
        for (String subnet : t.subnets()) {
            String subnetId = id(ResourceKind.SUBNET, subnet);
            if (table.associations().stream().noneMatch(a -> subnetId.equals(a.subnetId()))) {
                run("ec2:AssociateRouteTable", name, () -> aws.ec2().associateRouteTable(b -> b.routeTableId(tableId).subnetId(subnetId)));
            }
        }
        tagDone(resource, tableId);
    }

    private void setIngress(Resource resource, ResourceSpec.SecurityGroup spec, String groupId) {
        var current = call("ec2:DescribeSecurityGroups", resource.name(), () -> aws.ec2().describeSecurityGroups(b -> b.groupIds(groupId))
                .securityGroups().get(0).ipPermissions());
        if (!current.isEmpty()) {
            run("ec2:RevokeSecurityGroupIngress", resource.name(), () -> aws.ec2().revokeSecurityGroupIngress(b -> b.groupId(groupId)
                    .ipPermissions(current)));
        }
        List<IpPermission> permissions = new ArrayList<>();
        for (ResourceSpec.Ingress rule : spec.ingress()) {
            IpPermission.Builder permission = IpPermission.builder().ipProtocol("tcp").fromPort(rule.port()).toPort(rule.port());
            if (rule.cidr() != null) {
                permission.ipRanges(IpRange.builder().cidrIp(rule.cidr()).build());
            } else {
                permission.userIdGroupPairs(UserIdGroupPair.builder().groupId(id(ResourceKind.SECURITY_GROUP, rule.sourceGroup())).build());
            }
            permissions.add(permission.build());
        }
        run("ec2:AuthorizeSecurityGroupIngress", resource.name(), () -> aws.ec2().authorizeSecurityGroupIngress(b -> b.groupId(groupId)
                .ipPermissions(permissions)));
        run("ec2:CreateTags", resource.name(), () -> aws.ec2().createTags(b -> b.resources(groupId).tags(ec2Tags(tags(resource, true)))));
    }

    private String secretValue(Resource resource, ResourceSpec.Secret spec) {
        return switch (spec.source()) {
            // Letters and digits only: the password goes into a postgresql:// URL unescaped.
            case GENERATED_PASSWORD -> randomAlphanumeric(32);
            case GENERATED_KEY -> {
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                yield Base64.getEncoder().encodeToString(key);
            }
            case GIVEN -> givenDatabaseUrl;
            case DATABASE_URL_FROM_INSTANCE -> {
                var instance = call("rds:DescribeDBInstances", spec.dbInstance(), () -> aws.rds().describeDBInstances(
                        b -> b.dbInstanceIdentifier(spec.dbInstance())).dbInstances().get(0));
                if (instance.endpoint() == null) {
                    waitForDatabase(spec.dbInstance());
                }
                var ready = instance.endpoint() != null ? instance : call("rds:DescribeDBInstances", spec.dbInstance(),
                        () -> aws.rds().describeDBInstances(b -> b.dbInstanceIdentifier(spec.dbInstance())).dbInstances().get(0));
                yield "postgresql://" + ready.masterUsername() + ":" + readSecret(spec.passwordSecret()) + "@"
                        + ready.endpoint().address() + ":" + ready.endpoint().port() + "/" + ready.dbName();
            }
        };
    }

    /** The database URL from deploy.yaml, stored in the database-url secret when the database is not ours. */
    public Applier givenDatabaseUrl(String url) {
        this.givenDatabaseUrl = url;
        return this;
    }

    private String readSecret(String name) {
        return call("secretsmanager:GetSecretValue", name, () -> aws.secrets().getSecretValue(b -> b.secretId(name)).secretString());
    }

    private void waitForDatabase(String name) {
        out.printf("  waiting for the database %s to be available (RDS takes minutes)%n", name);
        call("rds:DescribeDBInstances", name, () -> aws.rds().waiter().waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier(name),
                w -> w.maxAttempts(120)));
    }

    private void registerTaskDefinition(Resource resource, ResourceSpec.TaskDefinition t, Map<String, String> tags) {
        String family = resource.name();
        String region = aws.region().id();
        ContainerDefinition.Builder container = ContainerDefinition.builder()
                .name(t.containerName()).image(t.image()).essential(true)
                // moto's RunTask, like capacity planning on EC2, needs a container memory; on
                // Fargate it is the container's hard limit, the task's memory.
                .memory(t.memory())
                .stopTimeout(t.stopTimeoutSeconds())
                .portMappings(t.ports().stream().map(p -> PortMapping.builder().containerPort(p)
                        .protocol(software.amazon.awssdk.services.ecs.model.TransportProtocol.TCP).build()).toList())
                .environment(t.environment().entrySet().stream().map(e -> KeyValuePair.builder().name(e.getKey())
                        .value(resolvedValue(e.getValue())).build()).toList())
                .secrets(t.secrets().entrySet().stream().map(e -> software.amazon.awssdk.services.ecs.model.Secret.builder()
                        .name(e.getKey()).valueFrom(secretArn(e.getValue())).build()).toList())
                .logConfiguration(LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).options(Map.of(
                        "awslogs-group", t.logGroup(), "awslogs-region", region, "awslogs-stream-prefix", t.containerName())).build());
        if (t.entryPoint() != null) {
            container.entryPoint(t.entryPoint());
        }
        if (t.command() != null) {
            container.command(t.command());
        }
        if (t.healthCheck() != null) {
            var hc = t.healthCheck();
            container.healthCheck(h -> h.command(hc.command()).interval(hc.intervalSeconds()).timeout(hc.timeoutSeconds())
                    .retries(hc.retries()).startPeriod(hc.startPeriodSeconds()));
        }
        var registered = call("ecs:RegisterTaskDefinition", family, () -> aws.ecs().registerTaskDefinition(b -> b.family(family)
                .requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                .cpu(String.valueOf(t.cpu())).memory(String.valueOf(t.memory()))
                .executionRoleArn(id(ResourceKind.ROLE, t.executionRole())).taskRoleArn(id(ResourceKind.ROLE, t.taskRole()))
                .containerDefinitions(container.build()).tags(ecsTags(tags))).taskDefinition());
        remember(resource, registered.taskDefinitionArn());
    }

    private String secretArn(String name) {
        String arn = ids.get(ResourceKind.SECRET + "/" + name);
        return arn != null ? arn : id(ResourceKind.DATABASE_URL_SECRET, name);
    }

    private static String trustPolicy(String service) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"" + service
                + "\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    private NetworkConfiguration network(ResourceSpec.Service s) {
        return NetworkConfiguration.builder().awsvpcConfiguration(a -> a.subnets(subnets(s.subnetIds()))
                .securityGroups(id(ResourceKind.SECURITY_GROUP, s.securityGroup()))
                .assignPublicIp(s.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)).build();
    }

    /** Rolling: never below the desired count, up to double while replacing; failures roll back. */
    static DeploymentConfiguration deployment() {
        return DeploymentConfiguration.builder().minimumHealthyPercent(100).maximumPercent(200)
                .deploymentCircuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build()).build();
    }

    private Action listenerAction(ResourceSpec.Listener l) {
        if (l.redirectToHttps()) {
            return Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(r -> r.protocol("HTTPS").port("443")
                    .statusCode(RedirectActionStatusCodeEnum.HTTP_301)).build();
        }
        return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(id(ResourceKind.TARGET_GROUP, l.targetGroup())).build();
    }

    private void tagLogGroup(String name, Map<String, String> tags) {
        @SuppressWarnings("deprecation")
        Runnable tag = () -> aws.logs().tagLogGroup(b -> b.logGroupName(name).tags(tags));
        run("logs:TagLogGroup", name, tag);
    }

    private static List<software.amazon.awssdk.services.ec2.model.Tag> ec2Tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static List<software.amazon.awssdk.services.rds.model.Tag> rdsTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.rds.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static List<software.amazon.awssdk.services.iam.model.Tag> iamTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.iam.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static List<software.amazon.awssdk.services.ecs.model.Tag> ecsTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecs.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> elbTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static String randomAlphanumeric(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return value.toString();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted");
        }
    }
}
