package dev.gust.deploy.aws.s3;

import static dev.gust.deploy.aws.AwsCalls.call;
import static dev.gust.deploy.aws.AwsCalls.run;

import dev.gust.deploy.DeployException;
import dev.gust.deploy.aws.ApplyContext;
import dev.gust.deploy.aws.AwsCalls;
import dev.gust.deploy.aws.FindContext;
import dev.gust.deploy.aws.Inventory;
import dev.gust.deploy.aws.ResourceHandler;
import dev.gust.deploy.aws.ResourceTags;
import dev.gust.deploy.model.Resource;
import dev.gust.deploy.model.ResourceSpec;
import dev.gust.deploy.plan.Existing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The S3 bucket of the deployment's DAG bundle: private (every public access block on), versioned
 * and encrypted by default. Its name holds the account and region (bucket names are global).
 * Deleting it first deletes every object version and delete marker, since S3 refuses to delete a
 * bucket that is not empty.
 */
public final class BucketHandler implements ResourceHandler<ResourceSpec.Bucket> {

    @Override
    public List<Existing> find(FindContext context) {
        String name = context.names().dagBucket(new Inventory(context.aws(), context.names()).account());
        S3Client s3 = context.aws().s3();
        return AwsCalls.ifExists(NoSuchBucketException.class, () -> {
                    run("s3:ListBucket", name, () -> s3.headBucket(b -> b.bucket(name)));
                    return context.claim(name, name, tags(s3, name));
                })
                .stream()
                .toList();
    }

    /** The bucket's tags; a bucket without any answers NoSuchTagSet. */
    private static Map<String, String> tags(S3Client s3, String name) {
        try {
            return ResourceTags.read(s3.getBucketTagging(b -> b.bucket(name)).tagSet(), Tag::key, Tag::value);
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null
                    && "NoSuchTagSet".equals(e.awsErrorDetails().errorCode())) {
                return Map.of();
            }
            throw AwsCalls.translate(e, "s3:GetBucketTagging", name);
        }
    }

    @Override
    public String create(Resource resource, ResourceSpec.Bucket spec, ApplyContext context) {
        S3Client s3 = context.aws().s3();
        String name = resource.name();
        String region = context.aws().region().id();
        run(
                "s3:CreateBucket",
                name,
                () -> s3.createBucket(b -> {
                    b.bucket(name);
                    // us-east-1 is the one region that refuses to be named as the location
                    if (!region.equals("us-east-1")) {
                        b.createBucketConfiguration(c -> c.locationConstraint(region));
                    }
                }));
        // Claimed as the deployment's right away, so an interrupted run finds it as unfinished.
        tag(s3, name, context.tags(resource, false));
        return configure(resource, spec, context);
    }

    @Override
    public String update(Resource resource, ResourceSpec.Bucket spec, Existing existing, ApplyContext context) {
        return configure(resource, spec, context);
    }

    /** Public access block, versioning, default encryption, then the fingerprint tag, last. */
    private static String configure(Resource resource, ResourceSpec.Bucket spec, ApplyContext context) {
        S3Client s3 = context.aws().s3();
        String name = resource.name();
        run(
                "s3:PutBucketPublicAccessBlock",
                name,
                () -> s3.putPublicAccessBlock(b -> b.bucket(name)
                        .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                                .ignorePublicAcls(true)
                                .blockPublicPolicy(true)
                                .restrictPublicBuckets(true))));
        run(
                "s3:PutBucketVersioning",
                name,
                () -> s3.putBucketVersioning(b -> b.bucket(name)
                        .versioningConfiguration(v -> v.status(
                                spec.versioned()
                                        ? BucketVersioningStatus.ENABLED
                                        : BucketVersioningStatus.SUSPENDED))));
        run(
                "s3:PutEncryptionConfiguration",
                name,
                () -> s3.putBucketEncryption(b -> b.bucket(name)
                        .serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(
                                        d -> d.sseAlgorithm(ServerSideEncryption.fromValue(spec.encryption())))
                                .bucketKeyEnabled(true)))));
        tag(s3, name, context.tags(resource, true));
        return name;
    }

    private static void tag(S3Client s3, String name, ResourceTags tags) {
        run(
                "s3:PutBucketTagging",
                name,
                () -> s3.putBucketTagging(b -> b.bucket(name).tagging(t -> t.tagSet(tags.s3()))));
    }

    @Override
    public void delete(Existing existing, ApplyContext context) {
        S3Client s3 = context.aws().s3();
        String name = existing.name();
        int deleted = 0;
        var pages = call("s3:ListBucketVersions", name, () -> s3.listObjectVersionsPaginator(b -> b.bucket(name)));
        List<ObjectIdentifier> batch = new ArrayList<>();
        try {
            for (var page : pages) {
                page.versions()
                        .forEach(v -> batch.add(ObjectIdentifier.builder()
                                .key(v.key())
                                .versionId(v.versionId())
                                .build()));
                page.deleteMarkers()
                        .forEach(m -> batch.add(ObjectIdentifier.builder()
                                .key(m.key())
                                .versionId(m.versionId())
                                .build()));
                // DeleteObjects takes 1,000 keys at most
                while (batch.size() >= 1000) {
                    deleted += deleteBatch(s3, name, new ArrayList<>(batch.subList(0, 1000)));
                    batch.subList(0, 1000).clear();
                }
            }
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw AwsCalls.translate(e, "s3:ListBucketVersions", name);
        }
        if (!batch.isEmpty()) {
            deleted += deleteBatch(s3, name, batch);
        }
        if (deleted > 0) {
            context.out().printf("  emptied %s: %d object versions%n", name, deleted);
        }
        run("s3:DeleteBucket", name, () -> s3.deleteBucket(b -> b.bucket(name)));
    }

    private static int deleteBatch(S3Client s3, String name, List<ObjectIdentifier> objects) {
        var response = call(
                "s3:DeleteObjectVersion",
                name,
                () -> s3.deleteObjects(
                        b -> b.bucket(name).delete(d -> d.objects(objects).quiet(true))));
        if (!response.errors().isEmpty()) {
            var error = response.errors().get(0);
            throw new DeployException("cannot empty bucket " + name + ": " + error.code() + " on " + error.key() + " ("
                    + error.message() + "); run gust deploy down again");
        }
        return objects.size();
    }
}
