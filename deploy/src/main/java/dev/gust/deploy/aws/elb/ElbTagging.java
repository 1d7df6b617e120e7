package dev.gust.deploy.aws.elb;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.AwsCalls;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * How the deployment's load balancer, target group and listeners are found by name and tagged:
 * ELB's describe calls do not return the tags, so they are read with a call of their own.
 */
final class ElbTagging {

    private ElbTagging() {}

    /**
     * The resource of the context's kind named {@code name} (found by {@code describe}, which AWS
     * answers with an {@code absent} error when there is none) with its tags, claimed as ours.
     */
    static <T> List<Existing> findNamed(
            FindContext context,
            String name,
            Class<? extends SdkException> absent,
            String action,
            BiFunction<ElasticLoadBalancingV2Client, String, T> describe,
            Function<T, String> arn) {
        var elb = context.aws().elb();
        return AwsCalls.ifExists(absent, () -> {
                    String found = arn.apply(call(action, name, () -> describe.apply(elb, name)));
                    return context.claim(name, found, read(found, context));
                })
                .stream()
                .toList();
    }

    /** Writes the resource's tags with the fingerprint, once it is at its spec. */
    static void tagDone(Resource resource, String arn, ApplyContext context) {
        context.tagDone(
                "elasticloadbalancing:AddTags",
                resource,
                tags -> context.aws().elb().addTags(b -> b.resourceArns(arn).tags(tags.elb())));
    }

    static Map<String, String> read(String arn, FindContext context) {
        var descriptions = call(
                "elasticloadbalancing:DescribeTags",
                arn,
                () -> context.aws().elb().describeTags(r -> r.resourceArns(arn)).tagDescriptions());
        return descriptions.isEmpty()
                ? Map.of()
                : ResourceTags.read(descriptions.get(0).tags(), Tag::key, Tag::value);
    }
}
