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
     * What deploy.yaml asks of the image: the platform it is built for ({@code linux/amd64} or
     * {@code linux/arm64}: what the task definitions run, whatever the machine building it is),
     * and the pip requirements installed into its python3 ({@code python_requirements}, one a
     * line; empty for none).
     */
    record ImageBuild(String platform, String pythonRequirements) {
        public ImageBuild {
            pythonRequirements = pythonRequirements == null ? "" : pythonRequirements;
        }
    }

    /** Builds the image {@code build} describes and pushes it. */
    String publish(String repositoryUri, String tag, RegistryLogin login, ImageBuild build);
}
