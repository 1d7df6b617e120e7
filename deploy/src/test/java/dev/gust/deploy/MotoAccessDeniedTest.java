package dev.gust.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.aws.AwsClients;
import dev.gust.deploy.model.DeployConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * An identity without the permissions: moto_server with IAM enforcement switched on (after the
 * first three requests, which create the user, its key and its policy) refuses the call, and the
 * error names the action and the resource in one line.
 */
class MotoAccessDeniedTest {

    @Test
    void accessDeniedNamesTheActionAndTheResource() throws Exception {
        try (MotoServer moto = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "3"))) {
            String keyId;
            String secret;
            try (IamClient iam = IamClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(moto.endpoint())
                    .credentialsProvider(
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                    .build()) {
                iam.createUser(r -> r.userName("deployer"));
                var key = iam.createAccessKey(r -> r.userName("deployer")).accessKey();
                keyId = key.accessKeyId();
                secret = key.secretAccessKey();
                iam.putUserPolicy(
                        r -> r.userName("deployer").policyName("read-only").policyDocument("""
                        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                         "Action": ["sts:GetCallerIdentity", "ec2:DescribeVpcs", "ec2:DescribeSubnets"], "Resource": "*"}]}"""));
            }
            try (AwsClients aws = AwsClients.create(
                    Optional.of("us-east-1"),
                    Optional.empty(),
                    Optional.of(moto.endpoint()),
                    Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret))))) {
                Deployment deployment = new Deployment(
                        aws,
                        "x",
                        DeployConfig.defaults(),
                        new PrintStream(OutputStream.nullOutputStream()),
                        Duration.ofMillis(50),
                        Duration.ofSeconds(10));
                assertThatThrownBy(() -> deployment.plan(Optional.empty()))
                        .isInstanceOf(DeployException.class)
                        .hasMessageStartingWith("AccessDenied: not allowed to call ecr:DescribeRepositories on gust-x")
                        .hasMessageNotContaining("\n");
            }
        }
    }
}
