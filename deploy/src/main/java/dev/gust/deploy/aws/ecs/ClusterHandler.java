package dev.gust.deploy.aws.ecs;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.Tag;

/** The deployment's ECS cluster, on Fargate. */
public final class ClusterHandler implements ResourceHandler<ResourceSpec.Cluster> {

    @Override
    public List<Existing> find(FindContext context) {
        String name = context.names().cluster();
        var clusters = call(
                "ecs:DescribeClusters",
                name,
                () -> context.aws()
                        .ecs()
                        .describeClusters(r -> r.clusters(name).include(ClusterField.TAGS))
                        .clusters());
        return clusters.stream()
                .filter(c -> "ACTIVE".equals(c.status()))
                .limit(1)
                .map(c -> context.claim(name, c.clusterArn(), ResourceTags.read(c.tags(), Tag::key, Tag::value)))
                .toList();
    }

    @Override
    public String create(Resource resource, ResourceSpec.Cluster spec, ApplyContext context) {
        return call(
                "ecs:CreateCluster",
                resource.name(),
                () -> context.aws()
                        .ecs()
                        .createCluster(b -> b.clusterName(resource.name())
                                .capacityProviders("FARGATE")
                                .settings(s -> s.name("containerInsights").value(containerInsights(spec)))
                                .tags(context.tags(resource, true).ecs()))
                        .cluster()
                        .clusterArn());
    }

    @Override
    public String update(Resource resource, ResourceSpec.Cluster spec, Existing existing, ApplyContext context) {
        var ecs = context.aws().ecs();
        run(
                "ecs:UpdateClusterSettings",
                resource.name(),
                () -> ecs.updateClusterSettings(b -> b.cluster(resource.name())
                        .settings(s -> s.name("containerInsights").value(containerInsights(spec)))));
        context.tagDone(
                "ecs:TagResource",
                resource,
                tags -> ecs.tagResource(b -> b.resourceArn(existing.id()).tags(tags.ecs())));
        return existing.id();
    }

    private static String containerInsights(ResourceSpec.Cluster spec) {
        return spec.containerInsights() ? "enabled" : "disabled";
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "ecs:DeleteCluster",
                existing.name(),
                () -> context.aws().ecs().deleteCluster(b -> b.cluster(existing.name())));
    }
}
