package dev.gust.deploy.aws.iam;

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
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The IAM roles of the tasks (execution role and task role), each with its trust policy, one inline
 * policy and the managed policies deploy.yaml attaches (the task role's {@code iam.task_role_policy_arns});
 * a managed policy attached by hand is detached by the next {@code up}, as the role is Gust's.
 */
public final class RoleHandler implements ResourceHandler<ResourceSpec.Role> {

    @Override
    public List<Existing> find(FindContext context) {
        var iam = context.aws().iam();
        List<Existing> found = new ArrayList<>();
        for (String name :
                List.of(context.names().executionRole(), context.names().taskRole())) {
            AwsCalls.ifExists(NoSuchEntityException.class, () -> {
                        var role = call(
                                "iam:GetRole",
                                name,
                                () -> iam.getRole(r -> r.roleName(name)).role());
                        var tags = call(
                                "iam:ListRoleTags",
                                name,
                                () -> iam.listRoleTags(r -> r.roleName(name)).tags());
                        return context.claim(name, role.arn(), ResourceTags.read(tags, Tag::key, Tag::value));
                    })
                    .ifPresent(found::add);
        }
        return found;
    }

    @Override
    public String create(Resource resource, ResourceSpec.Role spec, ApplyContext context) {
        var iam = context.aws().iam();
        String name = resource.name();
        var role = call(
                "iam:CreateRole",
                name,
                () -> iam.createRole(b -> b.roleName(name)
                                .assumeRolePolicyDocument(trustPolicy(spec.trustedService()))
                                .description("Gust " + context.names().deployment())
                                .tags(context.tags(resource, false).iam()))
                        .role());
        putPolicyAndTagDone(resource, spec, context);
        return role.arn();
    }

    @Override
    public String update(Resource resource, ResourceSpec.Role spec, Existing existing, ApplyContext context) {
        run(
                "iam:UpdateAssumeRolePolicy",
                resource.name(),
                () -> context.aws()
                        .iam()
                        .updateAssumeRolePolicy(
                                b -> b.roleName(resource.name()).policyDocument(trustPolicy(spec.trustedService()))));
        putPolicyAndTagDone(resource, spec, context);
        return existing.id();
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        var iam = context.aws().iam();
        String name = existing.name();
        for (String arn : attached(name, context)) {
            run(
                    "iam:DetachRolePolicy",
                    name,
                    () -> iam.detachRolePolicy(b -> b.roleName(name).policyArn(arn)));
        }
        for (String policy : call(
                "iam:ListRolePolicies",
                name,
                () -> iam.listRolePolicies(b -> b.roleName(name)).policyNames())) {
            run(
                    "iam:DeleteRolePolicy",
                    name,
                    () -> iam.deleteRolePolicy(b -> b.roleName(name).policyName(policy)));
        }
        run("iam:DeleteRole", name, () -> iam.deleteRole(b -> b.roleName(name)));
    }

    /** Its one inline policy as the spec says, then the fingerprint tag, last. */
    private static void putPolicyAndTagDone(Resource resource, ResourceSpec.Role spec, ApplyContext context) {
        var iam = context.aws().iam();
        String name = resource.name();
        run(
                "iam:PutRolePolicy",
                name,
                () -> iam.putRolePolicy(
                        b -> b.roleName(name).policyName(spec.policyName()).policyDocument(spec.policyDocument())));
        List<String> attached = attached(name, context);
        for (String arn : spec.managedPolicyArns()) {
            if (!attached.contains(arn)) {
                run(
                        "iam:AttachRolePolicy",
                        name,
                        () -> iam.attachRolePolicy(b -> b.roleName(name).policyArn(arn)));
            }
        }
        for (String arn : attached) {
            if (!spec.managedPolicyArns().contains(arn)) {
                run(
                        "iam:DetachRolePolicy",
                        name,
                        () -> iam.detachRolePolicy(b -> b.roleName(name).policyArn(arn)));
            }
        }
        context.tagDone(
                "iam:TagRole",
                resource,
                tags -> iam.tagRole(b -> b.roleName(name).tags(tags.iam())));
    }

    private static List<String> attached(String role, ApplyContext context) {
        return call(
                        "iam:ListAttachedRolePolicies",
                        role,
                        () -> context.aws().iam().listAttachedRolePoliciesPaginator(b -> b.roleName(role)).stream()
                                .flatMap(page -> page.attachedPolicies().stream())
                                .toList())
                .stream()
                .map(p -> p.policyArn())
                .toList();
    }

    private static String trustPolicy(String service) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                + service + "\"},\"Action\":\"sts:AssumeRole\"}]}";
    }
}
