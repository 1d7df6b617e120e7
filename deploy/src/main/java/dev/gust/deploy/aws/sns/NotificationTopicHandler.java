package dev.gust.deploy.aws.sns;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.SettlingResourceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * The SNS topic DAGs' callbacks publish to ({@code notifications.sns_topic} in deploy.yaml): found
 * by its name among the account's topics, created (CreateTopic is idempotent for a name), tagged,
 * deleted by {@code down}. Its ARN is what the scheduler's sns notifiers publish to by default.
 */
public final class NotificationTopicHandler implements SettlingResourceHandler<ResourceSpec.NotificationTopic> {

    @Override
    public List<Existing> find(FindContext context) {
        var sns = context.aws().sns();
        String name = context.names().notificationTopic();
        List<Existing> found = new ArrayList<>();
        var topics = call(
                "sns:ListTopics",
                name,
                () -> sns.listTopicsPaginator().topics().stream().toList());
        for (var topic : topics) {
            String arn = topic.topicArn();
            if (!arn.endsWith(":" + name)) {
                continue;
            }
            Map<String, String> tags = call(
                    "sns:ListTagsForResource",
                    name,
                    () -> ResourceTagsOf.map(
                            sns.listTagsForResource(r -> r.resourceArn(arn)).tags()));
            found.add(context.claim(name, arn, tags));
        }
        return found;
    }

    @Override
    public String make(Resource resource, ResourceSpec.NotificationTopic spec, ApplyContext context) {
        return call(
                "sns:CreateTopic",
                resource.name(),
                () -> context.aws()
                        .sns()
                        .createTopic(b -> b.name(resource.name()).tags(tags(context, resource, false)))
                        .topicArn());
    }

    @Override
    public void settle(Resource resource, ResourceSpec.NotificationTopic spec, String arn, ApplyContext context) {
        run(
                "sns:TagResource",
                resource.name(),
                () -> context.aws().sns().tagResource(b -> b.resourceArn(arn).tags(tags(context, resource, true))));
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run("sns:DeleteTopic", existing.name(), () -> context.aws().sns().deleteTopic(b -> b.topicArn(existing.id())));
    }

    private static List<Tag> tags(ApplyContext context, Resource resource, boolean withFingerprint) {
        return context.tags(resource, withFingerprint).map().entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                .toList();
    }

    /** SNS's tags as a map. */
    private static final class ResourceTagsOf {
        static Map<String, String> map(List<Tag> tags) {
            return dev.gust.deploy.aws.ResourceTags.read(tags, Tag::key, Tag::value);
        }
    }
}
