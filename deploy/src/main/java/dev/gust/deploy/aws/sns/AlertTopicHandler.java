package dev.gust.deploy.aws.sns;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.aws.SettlingResourceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * The SNS topic the alarms notify, with one e-mail subscription per address of
 * {@code alerts.email}: addresses added are subscribed (AWS mails each a confirmation link),
 * addresses removed are unsubscribed once confirmed (a pending one cannot be, and expires).
 */
public final class AlertTopicHandler implements SettlingResourceHandler<ResourceSpec.AlertTopic> {

    @Override
    public List<Existing> find(FindContext context) {
        String name = context.names().alertTopic();
        var topics = call(
                "sns:ListTopics",
                name,
                () -> context.aws().sns().listTopicsPaginator().topics().stream()
                        .toList());
        for (var topic : topics) {
            String arn = topic.topicArn();
            if (arn.substring(arn.lastIndexOf(':') + 1).equals(name)) {
                Map<String, String> tags = ResourceTags.read(
                        call(
                                "sns:ListTagsForResource",
                                name,
                                () -> context.aws()
                                        .sns()
                                        .listTagsForResource(r -> r.resourceArn(arn))
                                        .tags()),
                        Tag::key,
                        Tag::value);
                return List.of(context.claim(name, arn, tags));
            }
        }
        return List.of();
    }

    @Override
    public String make(Resource resource, ResourceSpec.AlertTopic spec, ApplyContext context) {
        return call(
                "sns:CreateTopic",
                resource.name(),
                () -> context.aws()
                        .sns()
                        .createTopic(b -> b.name(resource.name()).tags(tags(context.tags(resource, false))))
                        .topicArn());
    }

    @Override
    public void settle(Resource resource, ResourceSpec.AlertTopic spec, String arn, ApplyContext context) {
        var sns = context.aws().sns();
        List<Subscription> subscriptions = call(
                "sns:ListSubscriptionsByTopic",
                resource.name(),
                () -> sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(arn)).subscriptions().stream()
                        .filter(s -> "email".equals(s.protocol()))
                        .toList());
        Set<String> subscribed =
                subscriptions.stream().map(Subscription::endpoint).collect(Collectors.toSet());
        for (String email : spec.emails()) {
            if (!subscribed.contains(email)) {
                run(
                        "sns:Subscribe",
                        email,
                        () -> sns.subscribe(
                                b -> b.topicArn(arn).protocol("email").endpoint(email)));
                context.out()
                        .printf("  %s: AWS mails a confirmation link; alerts reach it once it is followed%n", email);
            }
        }
        for (Subscription s : subscriptions) {
            if (!spec.emails().contains(s.endpoint()) && s.subscriptionArn().startsWith("arn:")) {
                run(
                        "sns:Unsubscribe",
                        s.endpoint(),
                        () -> sns.unsubscribe(b -> b.subscriptionArn(s.subscriptionArn())));
            }
        }
        context.tagDone(
                "sns:TagResource",
                resource,
                t -> sns.tagResource(b -> b.resourceArn(arn).tags(tags(t))));
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run("sns:DeleteTopic", existing.name(), () -> context.aws().sns().deleteTopic(b -> b.topicArn(existing.id())));
    }

    private static List<Tag> tags(ResourceTags tags) {
        return tags.map().entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
