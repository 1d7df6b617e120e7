package dev.gust.deploy.aws.logs;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.model.DesiredState;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/** The CloudWatch log group of each component (webserver, scheduler, worker), with its retention. */
public final class LogGroupHandler implements ResourceHandler<ResourceSpec.LogGroup> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.LOG_GROUP;
    }

    @Override
    public Class<ResourceSpec.LogGroup> specType() {
        return ResourceSpec.LogGroup.class;
    }

    @Override
    public List<Existing> find(FindContext context) {
        var logs = context.aws().logs();
        List<Existing> found = new ArrayList<>();
        for (String component : List.of(DesiredState.WEBSERVER, DesiredState.SCHEDULER, DesiredState.WORKER)) {
            String name = context.names().logGroup(component);
            var groups = call("logs:DescribeLogGroups", name, () -> logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups());
            var group = groups.stream().filter(g -> g.logGroupName().equals(name)).findFirst();
            if (group.isEmpty()) {
                continue;
            }
            @SuppressWarnings("deprecation")
            Map<String, String> tags = call("logs:ListTagsLogGroup", name, () -> logs.listTagsLogGroup(r -> r.logGroupName(name)).tags());
            found.add(context.claim(kind(), name, group.get().arn(), tags));
        }
        return found;
    }

    @Override
    public String create(Resource resource, ResourceSpec.LogGroup spec, ApplyContext context) {
        String name = resource.name();
        try {
            run("logs:CreateLogGroup", name, () -> context.aws().logs().createLogGroup(b -> b.logGroupName(name)
                    .tags(context.tags(resource, false).map())));
        } catch (DeployException e) {
            if (!(e.getCause() instanceof ResourceAlreadyExistsException)) {
                throw e;
            }
        }
        set(resource, spec, context);
        return name;
    }

    @Override
    public String update(Resource resource, ResourceSpec.LogGroup spec, Existing existing, ApplyContext context) {
        set(resource, spec, context);
        return existing.id();
    }

    private static void set(Resource resource, ResourceSpec.LogGroup spec, ApplyContext context) {
        String name = resource.name();
        var logs = context.aws().logs();
        run("logs:PutRetentionPolicy", name, () -> logs.putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(spec.retentionDays())));
        @SuppressWarnings("deprecation")
        Runnable tag = () -> logs.tagLogGroup(b -> b.logGroupName(name).tags(context.tags(resource, true).map()));
        run("logs:TagLogGroup", name, tag);
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run("logs:DeleteLogGroup", existing.name(), () -> context.aws().logs().deleteLogGroup(b -> b.logGroupName(existing.name())));
    }
}
