package dev.gust.deploy.aws.rds;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.AwsCalls;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.aws.secrets.SecretHandler;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceKind;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The deployment's PostgreSQL on RDS (when deploy.yaml gives no database URL), private, encrypted
 * and protected from deletion: only {@code down} lifts the protection, in the step that deletes the
 * instance with a final snapshot (and puts it back if RDS refuses that delete), so no path deletes
 * the data without its snapshot.
 */
public final class DbInstanceHandler implements ResourceHandler<ResourceSpec.DbInstance> {

    @Override
    public List<Existing> find(FindContext context) {
        String name = context.names().dbInstance();
        return AwsCalls.ifExists(DbInstanceNotFoundException.class, () -> {
                    var instance = call(
                            "rds:DescribeDBInstances",
                            name,
                            () -> context.aws()
                                    .rds()
                                    .describeDBInstances(r -> r.dbInstanceIdentifier(name))
                                    .dbInstances()
                                    .get(0));
                    return context.claim(
                            name,
                            instance.dbInstanceArn(),
                            ResourceTags.read(instance.tagList(), Tag::key, Tag::value));
                })
                .stream()
                .toList();
    }

    @Override
    public String create(Resource resource, ResourceSpec.DbInstance spec, ApplyContext context) {
        String name = resource.name();
        String password = SecretHandler.read(spec.passwordSecret(), context);
        var instance = call(
                "rds:CreateDBInstance",
                name,
                () -> context.aws()
                        .rds()
                        .createDBInstance(b -> b.dbInstanceIdentifier(name)
                                .engine("postgres")
                                .engineVersion(spec.engineVersion())
                                .dbInstanceClass(spec.instanceClass())
                                .allocatedStorage(spec.allocatedStorageGb())
                                .dbName(spec.databaseName())
                                .masterUsername(spec.username())
                                .masterUserPassword(password)
                                .vpcSecurityGroupIds(context.id(ResourceKind.SECURITY_GROUP, spec.securityGroup()))
                                .dbSubnetGroupName(spec.subnetGroup())
                                .publiclyAccessible(false)
                                .storageEncrypted(true)
                                .multiAZ(spec.multiAz())
                                .backupRetentionPeriod(7)
                                .copyTagsToSnapshot(false)
                                .deletionProtection(spec.deletionProtection())
                                .tags(context.tags(resource, true).rds()))
                        .dbInstance());
        waitUntilAvailable(name, context);
        return instance.dbInstanceArn();
    }

    @Override
    public String update(Resource resource, ResourceSpec.DbInstance spec, Existing existing, ApplyContext context) {
        String name = resource.name();
        var rds = context.aws().rds();
        String running = call(
                "rds:DescribeDBInstances",
                name,
                () -> rds.describeDBInstances(b -> b.dbInstanceIdentifier(name))
                        .dbInstances()
                        .get(0)
                        .engineVersion());
        // "16" asks for major version 16, which an instance on 16.4 already runs: asking RDS to
        // "upgrade" 16.4 to 16 would be refused
        boolean upgrade = !running.equals(spec.engineVersion()) && !running.startsWith(spec.engineVersion() + ".");
        run(
                "rds:ModifyDBInstance",
                name,
                () -> rds.modifyDBInstance(b -> {
                    b.dbInstanceIdentifier(name)
                            .dbInstanceClass(spec.instanceClass())
                            .allocatedStorage(spec.allocatedStorageGb())
                            .multiAZ(spec.multiAz())
                            .vpcSecurityGroupIds(context.id(ResourceKind.SECURITY_GROUP, spec.securityGroup()))
                            .deletionProtection(spec.deletionProtection())
                            .applyImmediately(true);
                    if (upgrade) {
                        b.engineVersion(spec.engineVersion());
                    }
                }));
        waitUntilAvailable(name, context);
        context.tagDone(
                "rds:AddTagsToResource",
                resource,
                tags -> rds.addTagsToResource(b -> b.resourceName(existing.id()).tags(tags.rds())));
        return existing.id();
    }

    /** Waits for the instance to be available: RDS takes minutes to create or modify one. */
    public static void waitUntilAvailable(String name, ApplyContext context) {
        context.out().printf("  waiting for the database %s to be available (RDS takes minutes)%n", name);
        call(
                "rds:DescribeDBInstances",
                name,
                () -> context.aws()
                        .rds()
                        .waiter()
                        .waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier(name), w -> w.maxAttempts(120)));
    }

    private static void setDeletionProtection(String name, boolean on, ApplyContext context) {
        run(
                "rds:ModifyDBInstance",
                name,
                () -> context.aws()
                        .rds()
                        .modifyDBInstance(b -> b.dbInstanceIdentifier(name)
                                .deletionProtection(on)
                                .applyImmediately(true)));
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        String name = existing.name();
        var rds = context.aws().rds();
        // The data outlives the deployment: a final snapshot (untagged, so it is not ours to delete).
        String snapshot = name + "-final-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        setDeletionProtection(name, false, context);
        try {
            run(
                    "rds:DeleteDBInstance",
                    name,
                    () -> rds.deleteDBInstance(b -> b.dbInstanceIdentifier(name)
                            .skipFinalSnapshot(false)
                            .finalDBSnapshotIdentifier(snapshot)));
        } catch (RuntimeException refused) {
            setDeletionProtection(name, true, context);
            throw refused;
        }
        context.out().printf("  final snapshot of the database: %s%n", snapshot);
        call(
                "rds:DescribeDBInstances",
                name,
                () -> rds.waiter().waitUntilDBInstanceDeleted(b -> b.dbInstanceIdentifier(name)));
    }
}
