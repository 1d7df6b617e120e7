package dev.gust.deploy.image;

/**
 * Builds Gust's image and pushes it to a registry, returning the pushed image by digest
 * ({@code REPOSITORY@sha256:...}), the form task definitions refer to. An interface because moto
 * has no ECR layer upload: the deployment is tested against moto with {@code --image}, the
 * publisher by the commands it runs.
 */
public interface ImagePublisher {

    /** A registry login: ECR's proxy endpoint host and the user and password from its token. */
    record RegistryLogin(String registry, String username, String password) {
        @Override
        public String toString() {
            return "RegistryLogin[registry=" + registry + ", username=" + username + ", password=***]";
        }
    }

    /**
     * Builds for {@code platform} ({@code linux/amd64} or {@code linux/arm64}: what the task
     * definitions run, whatever the machine building it is) and pushes.
     */
    String publish(String repositoryUri, String tag, RegistryLogin login, String platform);
}
