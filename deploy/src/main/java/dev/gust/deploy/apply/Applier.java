package dev.gust.deploy.apply;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceHandlers;
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
    private final ResourceHandlers handlers = ResourceHandlers.STANDARD;
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
        ApplyContext context = new ApplyContext(aws, names, out, ids, givenDatabaseUrl);
        for (PlanAction action : plan.actions()) {
            if (action instanceof PlanAction.NoChange) {
                continue;
            }
            out.printf("%s %s %s ...%n", action.symbol(), action.kind().label(), action.name());
            if (handlers.covers(action.kind())) {
                ResourceHandler<?> handler = handlers.of(action.kind());
                switch (action) {
                    case PlanAction.Create c -> ids.put(c.desired().key(), create(handler, c.desired(), context));
                    case PlanAction.Update u -> ids.put(u.desired().key(), update(handler, u.desired(), u.existing(), context));
                    case PlanAction.Delete d -> handler.delete(d.existing(), context);
                    case PlanAction.NoChange n -> { }
                }
                continue;
            }
            switch (action) {
                case PlanAction.Create c -> create(c.desired());
                case PlanAction.Update u -> update(u.desired(), u.existing());
                case PlanAction.Delete d -> delete(d.existing());
                case PlanAction.NoChange n -> { }
            }
        }
    }

    private static <S extends ResourceSpec> String create(ResourceHandler<S> handler, Resource resource, ApplyContext context) {
        return handler.create(resource, handler.specType().cast(resource.spec()), context);
    }

    private static <S extends ResourceSpec> String update(ResourceHandler<S> handler, Resource resource, Existing existing,
            ApplyContext context) {
        return handler.update(resource, handler.specType().cast(resource.spec()), existing, context);
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
            case ResourceSpec.Repository r -> {
                var repo = call("ecr:CreateRepository", name, () -> aws.ecr().createRepository(b -> b.repositoryName(name)
                        .imageScanningConfiguration(s -> s.scanOnPush(true))
                        .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecr.model.Tag.builder()
                                .key(e.getKey()).value(e.getValue()).build()).toList())).repository());
                remember(resource, repo.repositoryUri());
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
            default -> throw new IllegalStateException("handled by " + handlers.of(resource.kind()));
        }
    }

    // ---------------------------------------------------------------- update

    private void update(Resource resource, Existing existing) {
        String name = resource.name();
        String id = existing.id();
        remember(resource, id);
        Map<String, String> tags = tags(resource, true);
        switch (resource.spec()) {
            case ResourceSpec.Repository r -> run("ecr:TagResource", name, () -> aws.ecr().tagResource(b -> b.resourceArn(
                    call("ecr:DescribeRepositories", name, () -> aws.ecr().describeRepositories(d -> d.repositoryNames(name))
                            .repositories().get(0).repositoryArn()))
                    .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecr.model.Tag.builder()
                            .key(e.getKey()).value(e.getValue()).build()).toList())));
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
            default -> throw new IllegalStateException("handled by " + handlers.of(resource.kind()));
        }
    }

    // ---------------------------------------------------------------- delete

    private void delete(Existing existing) {
        String name = existing.name();
        String id = existing.id();
        switch (existing.kind()) {
            case REPOSITORY -> run("ecr:DeleteRepository", name, () -> aws.ecr().deleteRepository(b -> b.repositoryName(name).force(true)));
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
            default -> throw new IllegalStateException("handled by " + handlers.of(existing.kind()));
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
        if (value.startsWith(DesiredState.SECURITY_GROUP_ID_OF)) {
            return id(ResourceKind.SECURITY_GROUP, value.substring(DesiredState.SECURITY_GROUP_ID_OF.length()));
        }
        return value;
    }

    private List<String> subnets(List<String> namesOrIds) {
        return namesOrIds.stream().map(s -> ref(ResourceKind.SUBNET, s)).toList();
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
