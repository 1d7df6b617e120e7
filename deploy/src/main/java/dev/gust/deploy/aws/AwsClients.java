package dev.gust.deploy.aws;

import dev.gust.deploy.DeployException;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS clients a deployment uses, configured the SDK's standard way (environment, profile,
 * instance role; {@code AWS_ENDPOINT_URL} and its per-service variants are read by the SDK itself),
 * with {@code --region}, {@code --profile} and an explicit endpoint (the tests' moto server) on top.
 */
public record AwsClients(
        Region region,
        Ec2Client ec2,
        EcsClient ecs,
        EcrClient ecr,
        ElasticLoadBalancingV2Client elb,
        IamClient iam,
        RdsClient rds,
        SecretsManagerClient secrets,
        CloudWatchLogsClient logs,
        StsClient sts,
        ApplicationAutoScalingClient autoscaling,
        S3Client s3,
        CloudWatchClient cloudwatch,
        SnsClient sns)
        implements AutoCloseable {

    /** Builds the clients; {@code credentials} overrides the default chain (tests use static dummy keys). */
    public static AwsClients create(
            Optional<String> region,
            Optional<String> profile,
            Optional<URI> endpoint,
            Optional<AwsCredentialsProvider> credentials) {
        Region resolved = resolveRegion(region, profile);
        AwsCredentialsProvider provider = credentials.orElseGet(
                () -> profile.<AwsCredentialsProvider>map(p -> ProfileCredentialsProvider.create(p))
                        .orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        return new AwsClients(
                resolved,
                configure(Ec2Client.builder(), resolved, provider, endpoint).build(),
                configure(EcsClient.builder(), resolved, provider, endpoint).build(),
                configure(EcrClient.builder(), resolved, provider, endpoint).build(),
                configure(ElasticLoadBalancingV2Client.builder(), resolved, provider, endpoint)
                        .build(),
                // IAM is global: its endpoint lives in aws-global, whatever the deployment's region.
                configure(IamClient.builder(), endpoint.isPresent() ? resolved : Region.AWS_GLOBAL, provider, endpoint)
                        .build(),
                configure(RdsClient.builder(), resolved, provider, endpoint).build(),
                configure(SecretsManagerClient.builder(), resolved, provider, endpoint)
                        .build(),
                configure(CloudWatchLogsClient.builder(), resolved, provider, endpoint)
                        .build(),
                configure(StsClient.builder(), resolved, provider, endpoint).build(),
                configure(ApplicationAutoScalingClient.builder(), resolved, provider, endpoint)
                        .build(),
                configure(S3Client.builder(), resolved, provider, endpoint).build(),
                // CloudWatch speaks the query protocol in this SDK version (pinned by the BOM), which
                // moto serves too; newer SDKs switch it to CBOR
                configure(CloudWatchClient.builder(), resolved, provider, endpoint)
                        .build(),
                configure(SnsClient.builder(), resolved, provider, endpoint).build());
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(
            B builder, Region region, AwsCredentialsProvider credentials, Optional<URI> endpoint) {
        builder.region(region).credentialsProvider(credentials);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * The region from {@code --region}, else the SDK's chain (AWS_REGION, the profile). A name AWS
     * does not know is refused here rather than as an unreachable endpoint later.
     */
    static Region resolveRegion(Optional<String> region, Optional<String> profile) {
        String name;
        if (region.isPresent()) {
            name = region.get();
        } else {
            try {
                name = DefaultAwsRegionProviderChain.builder()
                        .profileName(profile.orElse(null))
                        .build()
                        .getRegion()
                        .id();
            } catch (SdkClientException e) {
                throw new DeployException(
                        "no AWS region: give --region, or set AWS_REGION or a region in your AWS profile");
            }
        }
        Region resolved = Region.of(name);
        if (!Region.regions().contains(resolved)) {
            String suggestion = Region.regions().stream()
                    .map(Region::id)
                    .min(java.util.Comparator.comparingInt(known -> distance(known, name)))
                    .orElse("us-east-1");
            throw new DeployException("unknown AWS region '" + name + "' (did you mean " + suggestion + "?)");
        }
        return resolved;
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    @Override
    public void close() {
        ec2.close();
        ecs.close();
        ecr.close();
        elb.close();
        iam.close();
        rds.close();
        secrets.close();
        logs.close();
        sts.close();
        autoscaling.close();
        s3.close();
        cloudwatch.close();
        sns.close();
    }
}
