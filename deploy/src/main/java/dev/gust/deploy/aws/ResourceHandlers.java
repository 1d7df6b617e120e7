package dev.gust.deploy.aws;

import dev.gust.deploy.aws.autoscaling.ScalableTargetHandler;
import dev.gust.deploy.aws.cloudwatch.AlarmHandler;
import dev.gust.deploy.aws.cloudwatch.DashboardHandler;
import dev.gust.deploy.aws.ec2.ElasticIpHandler;
import dev.gust.deploy.aws.ec2.InternetGatewayHandler;
import dev.gust.deploy.aws.ec2.NatGatewayHandler;
import dev.gust.deploy.aws.ec2.RouteTableHandler;
import dev.gust.deploy.aws.ec2.SecurityGroupHandler;
import dev.gust.deploy.aws.ec2.SubnetHandler;
import dev.gust.deploy.aws.ec2.VpcHandler;
import dev.gust.deploy.aws.ecr.RepositoryHandler;
import dev.gust.deploy.aws.ecs.ClusterHandler;
import dev.gust.deploy.aws.ecs.ServiceHandler;
import dev.gust.deploy.aws.ecs.TaskDefinitionHandler;
import dev.gust.deploy.aws.elb.ListenerHandler;
import dev.gust.deploy.aws.elb.LoadBalancerHandler;
import dev.gust.deploy.aws.elb.TargetGroupHandler;
import dev.gust.deploy.aws.iam.RoleHandler;
import dev.gust.deploy.aws.logs.LogGroupHandler;
import dev.gust.deploy.aws.rds.DbInstanceHandler;
import dev.gust.deploy.aws.rds.DbSubnetGroupHandler;
import dev.gust.deploy.aws.s3.BucketHandler;
import dev.gust.deploy.aws.secrets.SecretHandler;
import dev.gust.deploy.aws.sns.AlertTopicHandler;
import dev.gust.deploy.aws.sns.NotificationTopicHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The handler of each {@link ResourceKind}, with the spec record it takes: the one list of what
 * {@code gust deploy} can make. Built once, and refused unless every kind has exactly one handler,
 * so a kind added to the enum without its handler fails at the first use rather than halfway
 * through an {@code up}.
 */
public final class ResourceHandlers {

    /** A kind's handler; the spec type checks what the applier hands it. */
    public record Registration<S extends ResourceSpec>(
            ResourceKind kind, Class<S> specType, ResourceHandler<S> handler) {

        public List<Existing> find(FindContext context) {
            return handler.find(context);
        }

        public String create(Resource resource, ApplyContext context) {
            return handler.create(resource, specType.cast(resource.spec()), context);
        }

        public String update(Resource resource, Existing existing, ApplyContext context) {
            return handler.update(resource, specType.cast(resource.spec()), existing, context);
        }

        public void delete(Existing existing, ApplyContext context) {
            handler.delete(existing, context);
        }
    }

    public static final ResourceHandlers STANDARD = new ResourceHandlers(standard());

    static List<Registration<?>> standard() {
        return List.of(
                new Registration<>(ResourceKind.VPC, ResourceSpec.Vpc.class, new VpcHandler()),
                new Registration<>(
                        ResourceKind.INTERNET_GATEWAY,
                        ResourceSpec.InternetGateway.class,
                        new InternetGatewayHandler()),
                new Registration<>(ResourceKind.SUBNET, ResourceSpec.Subnet.class, new SubnetHandler()),
                new Registration<>(ResourceKind.ELASTIC_IP, ResourceSpec.ElasticIp.class, new ElasticIpHandler()),
                new Registration<>(ResourceKind.NAT_GATEWAY, ResourceSpec.NatGateway.class, new NatGatewayHandler()),
                new Registration<>(ResourceKind.ROUTE_TABLE, ResourceSpec.RouteTable.class, new RouteTableHandler()),
                new Registration<>(ResourceKind.REPOSITORY, ResourceSpec.Repository.class, new RepositoryHandler()),
                new Registration<>(ResourceKind.DAG_BUCKET, ResourceSpec.Bucket.class, new BucketHandler()),
                new Registration<>(
                        ResourceKind.SECURITY_GROUP, ResourceSpec.SecurityGroup.class, new SecurityGroupHandler()),
                new Registration<>(
                        ResourceKind.DB_SUBNET_GROUP, ResourceSpec.DbSubnetGroup.class, new DbSubnetGroupHandler()),
                new Registration<>(
                        ResourceKind.SECRET,
                        ResourceSpec.Secret.class,
                        new SecretHandler(List.of("database-password", "encryption-key", "admin-password"))),
                new Registration<>(
                        ResourceKind.NOTIFICATION_TOPIC,
                        ResourceSpec.NotificationTopic.class,
                        new NotificationTopicHandler()),
                new Registration<>(ResourceKind.DB_INSTANCE, ResourceSpec.DbInstance.class, new DbInstanceHandler()),
                new Registration<>(
                        ResourceKind.DATABASE_URL_SECRET,
                        ResourceSpec.Secret.class,
                        new SecretHandler(List.of("database-url"))),
                new Registration<>(ResourceKind.ROLE, ResourceSpec.Role.class, new RoleHandler()),
                new Registration<>(ResourceKind.LOG_GROUP, ResourceSpec.LogGroup.class, new LogGroupHandler()),
                new Registration<>(ResourceKind.CLUSTER, ResourceSpec.Cluster.class, new ClusterHandler()),
                new Registration<>(
                        ResourceKind.TASK_DEFINITION, ResourceSpec.TaskDefinition.class, new TaskDefinitionHandler()),
                new Registration<>(
                        ResourceKind.LOAD_BALANCER, ResourceSpec.LoadBalancer.class, new LoadBalancerHandler()),
                new Registration<>(ResourceKind.TARGET_GROUP, ResourceSpec.TargetGroup.class, new TargetGroupHandler()),
                new Registration<>(ResourceKind.LISTENER, ResourceSpec.Listener.class, new ListenerHandler()),
                new Registration<>(ResourceKind.SERVICE, ResourceSpec.Service.class, new ServiceHandler()),
                new Registration<>(
                        ResourceKind.SCALABLE_TARGET, ResourceSpec.ScalableTarget.class, new ScalableTargetHandler()),
                new Registration<>(ResourceKind.ALERT_TOPIC, ResourceSpec.AlertTopic.class, new AlertTopicHandler()),
                new Registration<>(ResourceKind.ALARM, ResourceSpec.Alarm.class, new AlarmHandler()),
                new Registration<>(ResourceKind.DASHBOARD, ResourceSpec.Dashboard.class, new DashboardHandler()));
    }

    private final Map<ResourceKind, Registration<?>> byKind = new EnumMap<>(ResourceKind.class);

    ResourceHandlers(List<Registration<?>> registrations) {
        for (Registration<?> registration : registrations) {
            if (byKind.put(registration.kind(), registration) != null) {
                throw new IllegalStateException("two handlers for " + registration.kind());
            }
        }
        List<ResourceKind> missing = Arrays.stream(ResourceKind.values())
                .filter(kind -> !byKind.containsKey(kind))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no handler for " + missing);
        }
    }

    public Registration<?> of(ResourceKind kind) {
        return byKind.get(kind);
    }
}
