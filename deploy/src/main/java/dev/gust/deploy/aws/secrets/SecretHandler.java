package dev.gust.deploy.aws.secrets;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.AwsCalls;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.aws.rds.DbInstanceHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Secrets Manager secrets: the generated ones and the database URL, which are two kinds (the URL
 * is made after the database it names) with the same calls, so this handler serves both, each
 * with the secrets it looks for.
 */
public final class SecretHandler implements ResourceHandler<ResourceSpec.Secret> {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> secrets;

    /** {@code secrets} are the names the inventory looks for, as {@link dev.gust.deploy.model.Names#secret} takes them. */
    public SecretHandler(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public List<Existing> find(FindContext context) {
        List<Existing> found = new ArrayList<>();
        for (String secret : secrets) {
            String name = context.names().secret(secret);
            AwsCalls.ifExists(ResourceNotFoundException.class, () -> {
                        var described = call(
                                "secretsmanager:DescribeSecret",
                                name,
                                () -> context.aws().secrets().describeSecret(r -> r.secretId(name)));
                        if (described.deletedDate() != null) {
                            throw new DeployException(
                                    "secret " + name + " is scheduled for deletion: restore it (aws secretsmanager"
                                            + " restore-secret) or delete it for good before deploying");
                        }
                        return context.claim(
                                name, described.arn(), ResourceTags.read(described.tags(), Tag::key, Tag::value));
                    })
                    .ifPresent(found::add);
        }
        return found;
    }

    @Override
    public String create(Resource resource, ResourceSpec.Secret spec, ApplyContext context) {
        String value = value(spec, context);
        return call(
                        "secretsmanager:CreateSecret",
                        resource.name(),
                        () -> context.aws()
                                .secrets()
                                .createSecret(b -> b.name(resource.name())
                                        .description("Gust " + context.names().deployment())
                                        .secretString(value)
                                        .tags(context.tags(resource, true).secretsManager())))
                .arn();
    }

    @Override
    public String update(Resource resource, ResourceSpec.Secret spec, Existing existing, ApplyContext context) {
        var secrets = context.aws().secrets();
        String id = existing.id();
        // Generated values are never replaced by a re-run (that would lock out the database
        // and make stored connections undecryptable); given and derived values follow their source.
        if (spec.source() == ResourceSpec.SecretSource.GIVEN
                || spec.source() == ResourceSpec.SecretSource.DATABASE_URL_FROM_INSTANCE) {
            String value = value(spec, context);
            run(
                    "secretsmanager:PutSecretValue",
                    resource.name(),
                    () -> secrets.putSecretValue(b -> b.secretId(id).secretString(value)));
        }
        context.tagDone(
                "secretsmanager:TagResource",
                resource,
                tags -> secrets.tagResource(b -> b.secretId(id).tags(tags.secretsManager())));
        return id;
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        run(
                "secretsmanager:DeleteSecret",
                existing.name(),
                () -> context.aws()
                        .secrets()
                        .deleteSecret(b -> b.secretId(existing.id()).forceDeleteWithoutRecovery(true)));
    }

    /** The value of the secret named {@code name}. */
    public static String read(String name, ApplyContext context) {
        return call(
                "secretsmanager:GetSecretValue",
                name,
                () -> context.aws()
                        .secrets()
                        .getSecretValue(b -> b.secretId(name))
                        .secretString());
    }

    private static String value(ResourceSpec.Secret spec, ApplyContext context) {
        return switch (spec.source()) {
            // Letters and digits only: the password goes into a postgresql:// URL unescaped.
            case GENERATED_PASSWORD -> randomAlphanumeric(32);
            case GENERATED_KEY -> {
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                yield Base64.getEncoder().encodeToString(key);
            }
            case GIVEN -> context.givenDatabaseUrl();
            case DATABASE_URL_FROM_INSTANCE -> {
                var rds = context.aws().rds();
                var instance = call(
                        "rds:DescribeDBInstances",
                        spec.dbInstance(),
                        () -> rds.describeDBInstances(b -> b.dbInstanceIdentifier(spec.dbInstance()))
                                .dbInstances()
                                .get(0));
                if (instance.endpoint() == null) {
                    DbInstanceHandler.waitUntilAvailable(spec.dbInstance(), context);
                }
                var ready = instance.endpoint() != null
                        ? instance
                        : call(
                                "rds:DescribeDBInstances",
                                spec.dbInstance(),
                                () -> rds.describeDBInstances(b -> b.dbInstanceIdentifier(spec.dbInstance()))
                                        .dbInstances()
                                        .get(0));
                yield "postgresql://" + ready.masterUsername() + ":" + read(spec.passwordSecret(), context) + "@"
                        + ready.endpoint().address() + ":" + ready.endpoint().port() + "/" + ready.dbName();
            }
        };
    }

    private static String randomAlphanumeric(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return value.toString();
    }
}
