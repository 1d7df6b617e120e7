package dev.gust.deploy;

/**
 * A deployment failure the user can act on: its message is one line that says what went wrong
 * (missing credentials, an AccessDenied naming the action and resource, a quota, a name taken by a
 * resource that is not ours, an unknown region, an invalid deploy.yaml) and, where known, what to do.
 */
public final class DeployException extends RuntimeException {

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
