package dev.gust.deploy.aws;

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
import dev.gust.deploy.aws.secrets.SecretHandler;
import dev.gust.deploy.model.ResourceKind;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The handler of each {@link ResourceKind}: the one list of what {@code gust deploy} can make.
 * Built once, and refused unless every kind has exactly one handler, so a kind added to the enum
 * without its handler fails at the first use rather than halfway through an {@code up}.
 */
public final class ResourceHandlers {

    public static final ResourceHandlers STANDARD = new ResourceHandlers(standard());

    static List<ResourceHandler<?>> standard() {
        return List.of(
            new VpcHandler(), new InternetGatewayHandler(), new SubnetHandler(), new ElasticIpHandler(), new NatGatewayHandler(),
            new RouteTableHandler(), new RepositoryHandler(), new SecurityGroupHandler(), new DbSubnetGroupHandler(),
            new SecretHandler(ResourceKind.SECRET, List.of("database-password", "encryption-key", "admin-password")),
            new DbInstanceHandler(),
            new SecretHandler(ResourceKind.DATABASE_URL_SECRET, List.of("database-url")),
            new RoleHandler(), new LogGroupHandler(), new ClusterHandler(), new TaskDefinitionHandler(),
            new LoadBalancerHandler(), new TargetGroupHandler(), new ListenerHandler(), new ServiceHandler());
    }

    private final Map<ResourceKind, ResourceHandler<?>> byKind = new EnumMap<>(ResourceKind.class);

    ResourceHandlers(List<ResourceHandler<?>> handlers) {
        for (ResourceHandler<?> handler : handlers) {
            if (byKind.put(handler.kind(), handler) != null) {
                throw new IllegalStateException("two handlers for " + handler.kind());
            }
        }
        List<ResourceKind> missing = Arrays.stream(ResourceKind.values()).filter(kind -> !byKind.containsKey(kind)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no handler for " + missing);
        }
    }

    public ResourceHandler<?> of(ResourceKind kind) {
        return byKind.get(kind);
    }
}
