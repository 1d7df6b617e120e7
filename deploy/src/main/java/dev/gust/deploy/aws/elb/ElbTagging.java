package dev.gust.deploy.aws.elb;

import static dev.gust.deploy.aws.AwsCalls.call;

import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceTags;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/** Reads the tags of a load balancer, target group or listener: ELB's describe calls do not return them. */
final class ElbTagging {

    private ElbTagging() {}

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
