package dev.gust.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.DeployException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The publisher is tested by the commands it runs (moto has no ECR layer upload, and pushing to a
 * local registry was left out): build from the repository's Dockerfile, login with the password on
 * stdin, push, and the digest taken from the push.
 */
class ContainerCliPublisherTest {

    private static final ImagePublisher.RegistryLogin LOGIN =
            new ImagePublisher.RegistryLogin("1.dkr.ecr.eu-west-1.amazonaws.com", "AWS", "secret-token");
    private static final String REPO = "1.dkr.ecr.eu-west-1.amazonaws.com/gust-prod";

    @Test
    void dockerBuildsLogsInWithStdinPushesAndInspectsTheDigest() {
        var publisher =
                new ContainerCliPublisher("docker", Path.of("/src"), new PrintStream(OutputStream.nullOutputStream()));
        List<List<String>> commands = publisher.commands(REPO, "t1", LOGIN, Path.of("/tmp/d"), "linux/amd64");
        assertThat(commands)
                .containsExactly(
                        List.of(
                                "docker",
                                "build",
                                "--platform",
                                "linux/amd64",
                                "--tag",
                                REPO + ":t1",
                                "--file",
                                "/src/Dockerfile",
                                "/src"),
                        List.of(
                                "docker",
                                "login",
                                "--username",
                                "AWS",
                                "--password-stdin",
                                "1.dkr.ecr.eu-west-1.amazonaws.com"),
                        List.of("docker", "push", REPO + ":t1"),
                        List.of("docker", "inspect", "--format", "{{index .RepoDigests 0}}", REPO + ":t1"));
        assertThat(commands.toString()).doesNotContain("secret-token");
        assertThat(LOGIN.toString()).doesNotContain("secret-token");
    }

    @Test
    void podmanBuildsDockerFormatAndWritesTheDigestFile() {
        var publisher =
                new ContainerCliPublisher("podman", Path.of("/src"), new PrintStream(OutputStream.nullOutputStream()));
        List<List<String>> commands = publisher.commands(REPO, "t1", LOGIN, Path.of("/tmp/d"), "linux/arm64");
        assertThat(commands.get(0))
                .containsSequence("podman", "build", "--platform", "linux/arm64", "--format", "docker");
        assertThat(commands.get(2)).containsExactly("podman", "push", "--digestfile", "/tmp/d", REPO + ":t1");
        assertThat(commands).hasSize(3);
    }

    @Test
    void pythonRequirementsGoToTheDockerfilesBuildArgumentWhoseLayerPipInstallsThem() throws Exception {
        var publisher =
                new ContainerCliPublisher("podman", Path.of("/src"), new PrintStream(OutputStream.nullOutputStream()));
        List<List<String>> commands = publisher.commands(
                REPO,
                "t1",
                LOGIN,
                Path.of("/tmp/d"),
                new ImagePublisher.ImageBuild("linux/amd64", "pandas==2.2.2\nrequests>=2.31\n"));
        assertThat(commands.get(0))
                .containsSequence("--build-arg", "PYTHON_REQUIREMENTS=pandas==2.2.2\nrequests>=2.31\n")
                .endsWith("/src");
        assertThat(publisher
                        .commands(REPO, "t1", LOGIN, Path.of("/tmp/d"), "linux/amd64")
                        .get(0))
                .as("no requirements, no build argument: the layer installs nothing")
                .doesNotContain("--build-arg");

        // The repository's Dockerfile declares the argument and installs it into python3, as root,
        // before the distribution is copied (a new Gust version keeps the cached layer).
        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
        int arg = dockerfile.indexOf("ARG " + ContainerCliPublisher.PYTHON_REQUIREMENTS_ARG + "=");
        int install = dockerfile.indexOf("python3 -m pip install --no-cache-dir -r /tmp/gust-requirements.txt");
        assertThat(arg).as("ARG PYTHON_REQUIREMENTS in the Dockerfile").isPositive();
        assertThat(install).isGreaterThan(arg);
        assertThat(dockerfile.indexOf("COPY --from=distribution")).isGreaterThan(install);
        assertThat(dockerfile.lastIndexOf("USER 10001:0"))
                .as("the final stage runs as Gust's user")
                .isGreaterThan(install);
    }

    @Test
    void theReferenceIsByDigest() {
        String digest = "sha256:" + "e".repeat(64);
        assertThat(ContainerCliPublisher.reference(REPO, digest)).isEqualTo(REPO + "@" + digest);
        assertThat(ContainerCliPublisher.reference(REPO, REPO + "@" + digest)).isEqualTo(REPO + "@" + digest);
        assertThatThrownBy(() -> ContainerCliPublisher.reference(REPO, "latest"))
                .isInstanceOf(DeployException.class);
    }

    @Test
    void withoutADistributionItSaysHowToBuildOne(@org.junit.jupiter.api.io.TempDir Path empty) {
        var publisher = new ContainerCliPublisher("docker", empty, new PrintStream(OutputStream.nullOutputStream()));
        assertThatThrownBy(() -> publisher.publish(REPO, "t", LOGIN, new ImagePublisher.ImageBuild("linux/amd64", "")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("./mvnw -pl cli -am package");
    }
}
