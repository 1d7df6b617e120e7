package dev.gust.deploy.aws.logs;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.SettlingResourceHandler;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/** The CloudWatch log group of each component (webserver, scheduler, worker), with its retention. */
public final class LogGroupHandler implements SettlingResourceHandler<ResourceSpec.LogGroup> {

    @Override
    public List<Existing> find(FindContext context) {
        var logs = context.aws().logs();
        List<Existing> found = new ArrayList<>();
        for (String component : List.of(DesiredState.WEBSERVER, DesiredState.SCHEDULER, DesiredState.WORKER)) {
            String name = context.names().logGroup(component);
            var groups = call(
                    "logs:DescribeLogGroups",
                    name,
                    () -> logs.describeLogGroups(r -> r.logGroupNamePrefix(name))
                            .logGroups());
            var group =
                    groups.stream().filter(g -> g.logGroupName().equals(name)).findFirst();
            if (group.isEmpty()) {
                continue;
            }
            @SuppressWarnings("deprecation")
            Map<String, String> tags = call(
                    "logs:ListTagsLogGroup",
                    name,
                    () -> logs.listTagsLogGroup(r -> r.logGroupName(name)).tags());
            found.add(context.claim(name, group.get().arn(), tags));
        }
        return found;
    }

    @Override
    public String make(Resource resource, ResourceSpec.LogGroup spec, ApplyContext context) {
        String name = resource.name();
        try {
            run(
                    "logs:CreateLogGroup",
                    name,
                    () -> context.aws()
                            .logs()
                            .createLogGroup(b -> b.logGroupName(name)
                                    .tags(context.tags(resource, false).map())));
        } catch (DeployException e) {
            if (!(e.getCause() instanceof ResourceAlreadyExistsException)) {
                throw e;
            }
        }
        return name;
    }

    @Override
    public void settle(Resource resource, ResourceSpec.LogGroup spec, String id, ApplyContext context) {
        String name = resource.name();
        var logs = context.aws().logs();
        run(
                "logs:PutRetentionPolicy",
                name,
                () -> logs.putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(spec.retentionDays())));
        @SuppressWarnings("deprecation")
        Runnable tag = () -> logs.tagLogGroup(
                b -> b.logGroupName(name).tags(context.tags(resource, true).map()));
        run("logs:TagLogGroup", name, tag);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "logs:DeleteLogGroup",
                existing.name(),
                () -> context.aws().logs().deleteLogGroup(b -> b.logGroupName(existing.name())));
    }
}
