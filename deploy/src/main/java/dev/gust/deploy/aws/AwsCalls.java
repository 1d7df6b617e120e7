package dev.gust.deploy.aws;

import dev.gust.deploy.DeployException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs an AWS call named by its IAM action and resource, and turns the failures a user can fix
 * into one-line {@link DeployException}s: missing credentials, AccessDenied (naming the action and
 * the resource), a quota, an unreachable endpoint. Anything else keeps AWS's own message.
 */
public final class AwsCalls {

    private static final Set<String> ACCESS_DENIED = Set.of(
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "UnauthorizedAccess",
            "AuthorizationError",
            "NotAuthorized");
    private static final Set<String> BAD_CREDENTIALS = Set.of(
            "InvalidClientTokenId",
            "UnrecognizedClientException",
            "SignatureDoesNotMatch",
            "AuthFailure",
            "ExpiredToken",
            "ExpiredTokenException",
            "InvalidSignatureException");

    private AwsCalls() {}

    public static <T> T call(String action, String resource, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(e, action, resource);
        }
    }

    public static void run(String action, String resource, Runnable call) {
        call(action, resource, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Runs a lookup (made of {@link #call}s) that AWS answers with an {@code absent} error when there
     * is nothing by that name: empty then.
     */
    public static <T> Optional<T> ifExists(Class<? extends SdkException> absent, Supplier<T> lookup) {
        try {
            return Optional.of(lookup.get());
        } catch (DeployException e) {
            if (absent.isInstance(e.getCause())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The one line a user sees for {@code e}, raised while calling {@code action} on {@code resource}. */
    public static DeployException translate(SdkException e, String action, String resource) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = String.valueOf(service.awsErrorDetails().errorCode());
            String message = service.awsErrorDetails().errorMessage();
            if (ACCESS_DENIED.contains(code) || service.statusCode() == 403 && !BAD_CREDENTIALS.contains(code)) {
                return new DeployException(
                        "AccessDenied: not allowed to call " + action + " on " + resource
                                + " (grant it to the deploying identity; README: Deploying to AWS, IAM permissions)",
                        e);
            }
            if (BAD_CREDENTIALS.contains(code)) {
                return new DeployException(
                        "AWS rejected the credentials (" + code + "): check AWS_PROFILE / AWS_ACCESS_KEY_ID", e);
            }
            if (code.contains("LimitExceeded") || code.contains("QuotaExceeded") || code.startsWith("TooMany")) {
                return new DeployException(
                        "AWS quota reached: " + action + " on " + resource + " failed with " + code
                                + (message == null ? "" : ": " + message)
                                + " (raise the quota in Service Quotas or free some)",
                        e);
            }
            return new DeployException(
                    action + " on " + resource + " failed: " + code
                            + (message == null
                                    ? ""
                                    : ": " + message.lines().findFirst().orElse("")),
                    e);
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials")) {
            return new DeployException(
                    "no AWS credentials found: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID"
                            + " and AWS_SECRET_ACCESS_KEY, or run where an instance/task role is available",
                    e);
        }
        if (e instanceof SdkClientException && e.getCause() instanceof java.io.IOException io) {
            return new DeployException(
                    "cannot reach AWS for " + action + " (" + io.getClass().getSimpleName() + ": " + io.getMessage()
                            + "): check the region and AWS_ENDPOINT_URL",
                    e);
        }
        return new DeployException(
                action + " on " + resource + " failed: "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
                e);
    }
}
