package dev.gust.deploy.aws.ec2;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.model.Names;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * How the deployment's network resources are tagged and found again. EC2 names (the Name tag) are
 * not unique: a VPC someone else named gust-NAME is neither taken for ours nor refused, so they are
 * looked for by both the name and the deployment tag.
 */
final class Ec2Tagging {

    private Ec2Tagging() {}

    /**
     * The resources of the context's kind named {@code names} (in that order) and ours, each one
     * {@code describe} (given the filters) finds. Everything but the VPC lives in the deployment's
     * VPC: none of it is looked for before the VPC is found.
     */
    static <T> List<Existing> findNamed(
            FindContext context,
            List<String> names,
            String action,
            BiFunction<Ec2Client, List<Filter>, List<T>> describe,
            Function<T, String> id,
            Function<T, List<Tag>> tags) {
        if (context.kind() != ResourceKind.VPC
                && context.first(ResourceKind.VPC).isEmpty()) {
            return List.of();
        }
        var ec2 = context.aws().ec2();
        return names.stream()
                .flatMap(name -> call(action, name, () -> describe.apply(ec2, ours(context, name))).stream()
                        .limit(1)
                        .map(resource -> context.claim(name, id.apply(resource), read(tags.apply(resource)))))
                .toList();
    }

    private static List<Filter> ours(FindContext context, String name) {
        return List.of(
                Filter.builder().name("tag:Name").values(name).build(),
                Filter.builder()
                        .name("tag:" + Names.DEPLOYMENT_TAG)
                        .values(context.names().deployment())
                        .build());
    }

    static Map<String, String> read(List<Tag> tags) {
        return ResourceTags.read(tags, Tag::key, Tag::value);
    }

    /** The tags at creation, without the fingerprint, which {@link #tagDone} writes once the last step is done. */
    static TagSpecification atCreation(ResourceType type, Resource resource, ApplyContext context) {
        return TagSpecification.builder()
                .resourceType(type)
                .tags(context.tags(resource, false).named(resource.name()).ec2())
                .build();
    }

    static void tagDone(Resource resource, String id, ApplyContext context) {
        context.tagDone(
                "ec2:CreateTags",
                resource,
                tags -> context.aws()
                        .ec2()
                        .createTags(b ->
                                b.resources(id).tags(tags.named(resource.name()).ec2())));
    }
}
