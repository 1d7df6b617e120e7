package dev.gust.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.DeployException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Each failure a user can fix becomes one line that names what to do. */
class AwsCallsTest {

    private static AwsServiceException service(String code, int status, String message) {
        return AwsServiceException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .build();
    }

    @Test
    void accessDeniedNamesTheActionAndTheResource() {
        DeployException e = AwsCalls.translate(
                service("AccessDeniedException", 400, "User x is not authorized"), "ecs:CreateCluster", "gust-prod");
        assertThat(e.getMessage())
                .startsWith("AccessDenied: not allowed to call ecs:CreateCluster on gust-prod")
                .doesNotContain("\n");
        assertThat(AwsCalls.translate(
                                service("UnauthorizedOperation", 403, "no"), "ec2:CreateSecurityGroup", "gust-prod-alb")
                        .getMessage())
                .contains("ec2:CreateSecurityGroup on gust-prod-alb");
    }

    @Test
    void aQuotaSaysSo() {
        assertThat(AwsCalls.translate(
                                service("TooManyLoadBalancers", 400, "limit 50"),
                                "elasticloadbalancing:CreateLoadBalancer",
                                "gust-p")
                        .getMessage())
                .startsWith("AWS quota reached")
                .contains("TooManyLoadBalancers");
        assertThat(AwsCalls.translate(
                                service("LimitExceededException", 400, "x"), "logs:CreateLogGroup", "/gust/p/webserver")
                        .getMessage())
                .startsWith("AWS quota reached");
    }

    @Test
    void missingAndRejectedCredentials() {
        assertThat(AwsCalls.translate(
                                SdkClientException.create("Unable to load credentials from any of the providers"),
                                "sts:GetCallerIdentity",
                                "the caller")
                        .getMessage())
                .startsWith("no AWS credentials found");
        assertThat(AwsCalls.translate(
                                service("InvalidClientTokenId", 403, "bad"), "sts:GetCallerIdentity", "the caller")
                        .getMessage())
                .startsWith("AWS rejected the credentials");
    }

    @Test
    void aRegionTypoIsRefusedWithASuggestion() {
        assertThatThrownBy(() -> AwsClients.resolveRegion(Optional.of("us-eats-1"), Optional.empty()))
                .isInstanceOf(DeployException.class)
                .hasMessage("unknown AWS region 'us-eats-1' (did you mean us-east-1?)");
        assertThat(AwsClients.resolveRegion(Optional.of("eu-central-1"), Optional.empty())
                        .id())
                .isEqualTo("eu-central-1");
    }
}
