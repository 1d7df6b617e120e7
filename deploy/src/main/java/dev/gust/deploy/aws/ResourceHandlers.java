package dev.gust.deploy.aws;

import dev.gust.deploy.aws.ec2.ElasticIpHandler;
import dev.gust.deploy.aws.ec2.InternetGatewayHandler;
import dev.gust.deploy.aws.ec2.NatGatewayHandler;
import dev.gust.deploy.aws.ec2.RouteTableHandler;
import dev.gust.deploy.aws.ec2.SecurityGroupHandler;
import dev.gust.deploy.aws.ec2.SubnetHandler;
import dev.gust.deploy.aws.ec2.VpcHandler;
import dev.gust.deploy.model.ResourceKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The handler of each kind of resource: the one list of what {@code gust deploy} can make. */
public final class ResourceHandlers {

    public static final ResourceHandlers STANDARD = new ResourceHandlers(List.of(
            new VpcHandler(), new InternetGatewayHandler(), new SubnetHandler(), new ElasticIpHandler(), new NatGatewayHandler(),
            new RouteTableHandler(), new SecurityGroupHandler()));

    private final Map<ResourceKind, ResourceHandler<?>> byKind = new EnumMap<>(ResourceKind.class);

    ResourceHandlers(List<ResourceHandler<?>> handlers) {
        for (ResourceHandler<?> handler : handlers) {
            if (byKind.put(handler.kind(), handler) != null) {
                throw new IllegalStateException("two handlers for " + handler.kind());
            }
        }
    }

    public boolean covers(ResourceKind kind) {
        return byKind.containsKey(kind);
    }

    public ResourceHandler<?> of(ResourceKind kind) {
        ResourceHandler<?> handler = byKind.get(kind);
        if (handler == null) {
            throw new IllegalStateException("no handler for " + kind);
        }
        return handler;
    }
}
