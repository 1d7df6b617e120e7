package dev.gust.deploy.aws.rds;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.AwsCalls;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.List;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/** The DB subnet group that places the deployment's RDS instance in its subnets. */
public final class DbSubnetGroupHandler implements ResourceHandler<ResourceSpec.DbSubnetGroup> {

    @Override
    public List<Existing> find(FindContext context) {
        String name = context.names().dbSubnetGroup();
        var rds = context.aws().rds();
        return AwsCalls.ifExists(DbSubnetGroupNotFoundException.class, () -> {
                    var group = call(
                            "rds:DescribeDBSubnetGroups",
                            name,
                            () -> rds.describeDBSubnetGroups(r -> r.dbSubnetGroupName(name))
                                    .dbSubnetGroups()
                                    .get(0));
                    var tags = call(
                            "rds:ListTagsForResource",
                            name,
                            () -> rds.listTagsForResource(r -> r.resourceName(group.dbSubnetGroupArn()))
                                    .tagList());
                    return context.claim(name, group.dbSubnetGroupArn(), ResourceTags.read(tags, Tag::key, Tag::value));
                })
                .stream()
                .toList();
    }

    @Override
    public String create(Resource resource, ResourceSpec.DbSubnetGroup spec, ApplyContext context) {
        return call(
                "rds:CreateDBSubnetGroup",
                resource.name(),
                () -> context.aws()
                        .rds()
                        .createDBSubnetGroup(b -> b.dbSubnetGroupName(resource.name())
                                .dbSubnetGroupDescription(
                                        "Gust " + context.names().deployment())
                                .subnetIds(context.subnets(spec.subnetIds()))
                                .tags(context.tags(resource, true).rds()))
                        .dbSubnetGroup()
                        .dbSubnetGroupArn());
    }

    @Override
    public String update(Resource resource, ResourceSpec.DbSubnetGroup spec, Existing existing, ApplyContext context) {
        var rds = context.aws().rds();
        run(
                "rds:ModifyDBSubnetGroup",
                resource.name(),
                () -> rds.modifyDBSubnetGroup(
                        b -> b.dbSubnetGroupName(resource.name()).subnetIds(context.subnets(spec.subnetIds()))));
        context.tagDone(
                "rds:AddTagsToResource",
                resource,
                tags -> rds.addTagsToResource(b -> b.resourceName(existing.id()).tags(tags.rds())));
        return existing.id();
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "rds:DeleteDBSubnetGroup",
                existing.name(),
                () -> context.aws().rds().deleteDBSubnetGroup(b -> b.dbSubnetGroupName(existing.name())));
    }
}
