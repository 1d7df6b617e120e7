package dev.gust.deploy.aws.cloudwatch;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.model.Alarms;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * The deployment's CloudWatch alarms ({@link Alarms}). PutMetricAlarm creates or replaces an alarm
 * whole, so an update is the same call; the fingerprint tag is written after it.
 */
public final class AlarmHandler implements ResourceHandler<ResourceSpec.Alarm> {

    @Override
    public List<Existing> find(FindContext context) {
        List<String> names = Alarms.NAMES.stream().map(context.names()::alarm).toList();
        List<MetricAlarm> alarms = call(
                "cloudwatch:DescribeAlarms",
                context.names().prefix(),
                () -> context.aws()
                        .cloudwatch()
                        .describeAlarms(r -> r.alarmNames(names))
                        .metricAlarms());
        List<Existing> found = new ArrayList<>();
        for (String name : names) {
            for (MetricAlarm alarm : alarms) {
                if (alarm.alarmName().equals(name)) {
                    Map<String, String> tags = ResourceTags.read(
                            call(
                                    "cloudwatch:ListTagsForResource",
                                    name,
                                    () -> context.aws()
                                            .cloudwatch()
                                            .listTagsForResource(r -> r.resourceARN(alarm.alarmArn()))
                                            .tags()),
                            Tag::key,
                            Tag::value);
                    found.add(context.claim(name, alarm.alarmArn(), tags));
                }
            }
        }
        return found;
    }

    @Override
    public String create(Resource resource, ResourceSpec.Alarm spec, ApplyContext context) {
        return put(resource, spec, context);
    }

    @Override
    public String update(Resource resource, ResourceSpec.Alarm spec, Existing existing, ApplyContext context) {
        return put(resource, spec, context);
    }

    private static String put(Resource resource, ResourceSpec.Alarm spec, ApplyContext context) {
        var cloudwatch = context.aws().cloudwatch();
        PutMetricAlarmRequest.Builder request = PutMetricAlarmRequest.builder()
                .alarmName(resource.name())
                .alarmDescription(spec.description())
                .namespace(spec.namespace())
                .metricName(spec.metric())
                .dimensions(dimensions(spec, context))
                .statistic(spec.statistic())
                .period(spec.periodSeconds())
                .evaluationPeriods(spec.evaluationPeriods())
                .threshold(spec.threshold())
                .comparisonOperator(spec.comparison())
                .treatMissingData(spec.treatMissingData())
                .tags(tags(context.tags(resource, false)));
        if (spec.topic() != null) {
            String topic = context.id(ResourceKind.ALERT_TOPIC, spec.topic());
            request.alarmActions(topic).okActions(topic);
        }
        run("cloudwatch:PutMetricAlarm", resource.name(), () -> cloudwatch.putMetricAlarm(request.build()));
        String arn = call(
                "cloudwatch:DescribeAlarms",
                resource.name(),
                () -> cloudwatch
                        .describeAlarms(r -> r.alarmNames(resource.name()))
                        .metricAlarms()
                        .getFirst()
                        .alarmArn());
        context.tagDone(
                "cloudwatch:TagResource",
                resource,
                t -> cloudwatch.tagResource(b -> b.resourceARN(arn).tags(tags(t))));
        return arn;
    }

    /** The dimensions, with the load balancer's and target group's as CloudWatch names them (the end of their ARN). */
    private static List<Dimension> dimensions(ResourceSpec.Alarm spec, ApplyContext context) {
        return spec.dimensions().stream()
                .map(d -> Dimension.builder()
                        .name(d.name())
                        .value(d.arnOf() == null ? d.value() : cloudWatchName(context.id(d.arnOf(), d.value())))
                        .build())
                .toList();
    }

    /** {@code app/NAME/ID} of a load balancer's ARN, {@code targetgroup/NAME/ID} of a target group's. */
    static String cloudWatchName(String arn) {
        String resource = arn.substring(arn.lastIndexOf(':') + 1);
        return resource.startsWith("loadbalancer/") ? resource.substring("loadbalancer/".length()) : resource;
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "cloudwatch:DeleteAlarms",
                existing.name(),
                () -> context.aws().cloudwatch().deleteAlarms(b -> b.alarmNames(existing.name())));
    }

    private static List<Tag> tags(ResourceTags tags) {
        return tags.map().entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
