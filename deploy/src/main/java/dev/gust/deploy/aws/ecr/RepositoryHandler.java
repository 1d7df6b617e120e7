package dev.gust.deploy.aws.ecr;

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
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;

/**
 * The deployment's ECR repository, which {@code up} pushes the image it builds to; known by its URI.
 * Its lifecycle policy expires all but the newest images (each {@code up} pushes one), so storage
 * does not grow with every deploy; the images running are among the newest.
 */
public final class RepositoryHandler implements ResourceHandler<ResourceSpec.Repository> {

    @Override
    public List<Existing> find(FindContext context) {
        String name = context.names().repository();
        var ecr = context.aws().ecr();
        return AwsCalls.ifExists(RepositoryNotFoundException.class, () -> {
                    var repo = call(
                            "ecr:DescribeRepositories",
                            name,
                            () -> ecr.describeRepositories(r -> r.repositoryNames(name))
                                    .repositories()
                                    .get(0));
                    var tags = call(
                            "ecr:ListTagsForResource",
                            name,
                            () -> ecr.listTagsForResource(r -> r.resourceArn(repo.repositoryArn()))
                                    .tags());
                    return context.claim(name, repo.repositoryUri(), ResourceTags.read(tags, Tag::key, Tag::value));
                })
                .stream()
                .toList();
    }

    @Override
    public String create(Resource resource, ResourceSpec.Repository spec, ApplyContext context) {
        String uri = call(
                "ecr:CreateRepository",
                resource.name(),
                () -> context.aws()
                        .ecr()
                        .createRepository(b -> b.repositoryName(resource.name())
                                .imageScanningConfiguration(s -> s.scanOnPush(true))
                                .tags(context.tags(resource, false).ecr()))
                        .repository()
                        .repositoryUri());
        settle(resource, spec, context);
        return uri;
    }

    @Override
    public String update(Resource resource, ResourceSpec.Repository spec, Existing existing, ApplyContext context) {
        settle(resource, spec, context);
        return existing.id();
    }

    /** Its lifecycle policy as the spec says, then the fingerprint tag, last. */
    private static void settle(Resource resource, ResourceSpec.Repository spec, ApplyContext context) {
        var ecr = context.aws().ecr();
        String name = resource.name();
        run(
                "ecr:PutLifecyclePolicy",
                name,
                () -> ecr.putLifecyclePolicy(b -> b.repositoryName(name).lifecyclePolicyText(lifecyclePolicy(spec))));
        String arn = call(
                "ecr:DescribeRepositories",
                name,
                () -> ecr.describeRepositories(d -> d.repositoryNames(name))
                        .repositories()
                        .get(0)
                        .repositoryArn());
        context.tagDone(
                "ecr:TagResource",
                resource,
                tags -> ecr.tagResource(b -> b.resourceArn(arn).tags(tags.ecr())));
    }

    /** One rule: any image (tagged or not) beyond the newest {@code keepImages} expires. */
    static String lifecyclePolicy(ResourceSpec.Repository spec) {
        return "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep the newest " + spec.keepImages()
                + " images\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":" + spec.keepImages() + "},\"action\":{\"type\":\"expire\"}}]}";
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "ecr:DeleteRepository",
                existing.name(),
                () -> context.aws()
                        .ecr()
                        .deleteRepository(b -> b.repositoryName(existing.name()).force(true)));
    }
}
