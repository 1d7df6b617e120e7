package dev.gust.deploy.image;

import dev.gust.deploy.DeployException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the image from the repository's Dockerfile and pushes it with the local {@code docker} or
 * {@code podman} CLI (whichever is given; the CLI picks docker when its engine answers, else podman):
 * the same tool {@code scripts/container-test.sh} uses, so an image that passed the container test
 * is the image deployed. The ECR password goes to {@code login --password-stdin}, never on a
 * command line; the digest comes from the push itself.
 */
public final class ContainerCliPublisher implements ImagePublisher {

    /** The Dockerfile's build argument whose requirements its pip layer installs. */
    public static final String PYTHON_REQUIREMENTS_ARG = "PYTHON_REQUIREMENTS";

    private final String tool;
    private final Path context;
    private final PrintStream out;

    public ContainerCliPublisher(String tool, Path context, PrintStream out) {
        this.tool = tool;
        this.context = context;
        this.out = out;
    }

    /** The command lines for an image without Python requirements; see the other overload. */
    public List<List<String>> commands(
            String repositoryUri, String tag, RegistryLogin login, Path digestFile, String platform) {
        return commands(repositoryUri, tag, login, digestFile, new ImageBuild(platform, ""));
    }

    /**
     * The command lines, in order, that build {@code repositoryUri:tag} as {@code spec} says and
     * push it; the digest lands in {@code digestFile}. The platform is always explicit: an arm64
     * laptop would otherwise build an arm64 image, which x86 Fargate cannot start. Python
     * requirements go to the Dockerfile's {@code PYTHON_REQUIREMENTS} build argument, whose layer
     * pip-installs them into the image's python3.
     */
    public List<List<String>> commands(
            String repositoryUri, String tag, RegistryLogin login, Path digestFile, ImageBuild spec) {
        String image = repositoryUri + ":" + tag;
        List<List<String>> commands = new ArrayList<>();
        List<String> build = new ArrayList<>(List.of(tool, "build", "--platform", spec.platform()));
        if (tool.endsWith("podman")) {
            build.addAll(List.of("--format", "docker")); // HEALTHCHECK is a Docker-format feature
        }
        if (!spec.pythonRequirements().isEmpty()) {
            build.addAll(List.of("--build-arg", PYTHON_REQUIREMENTS_ARG + "=" + spec.pythonRequirements()));
        }
        build.addAll(
                List.of("--tag", image, "--file", context.resolve("Dockerfile").toString(), context.toString()));
        commands.add(build);
        commands.add(List.of(tool, "login", "--username", login.username(), "--password-stdin", login.registry()));
        if (tool.endsWith("podman")) {
            commands.add(List.of(tool, "push", "--digestfile", digestFile.toString(), image));
        } else {
            commands.add(List.of(tool, "push", image));
            commands.add(List.of(tool, "inspect", "--format", "{{index .RepoDigests 0}}", image));
        }
        return commands;
    }

    @Override
    public String publish(String repositoryUri, String tag, RegistryLogin login, ImageBuild image) {
        if (!Files.isDirectory(context.resolve("cli/target/gust/lib"))) {
            throw new DeployException(
                    "no Gust distribution in " + context.resolve("cli/target/gust")
                            + ": run ./mvnw -pl cli -am package -DskipTests first, or deploy a pushed image with --image URI@sha256:...");
        }
        try {
            Path digestFile = Files.createTempFile("gust-image", ".digest");
            try {
                String last = "";
                for (List<String> command : commands(repositoryUri, tag, login, digestFile, image)) {
                    boolean isLogin = command.get(1).equals("login");
                    last = run(command, isLogin ? login.password() : null);
                }
                String digest =
                        tool.endsWith("podman") ? Files.readString(digestFile).trim() : last.trim();
                return reference(repositoryUri, digest);
            } finally {
                Files.deleteIfExists(digestFile);
            }
        } catch (IOException e) {
            throw new DeployException("building or pushing the image failed: " + e.getMessage(), e);
        }
    }

    /** {@code REPO@sha256:...} from what the tool reports: a bare digest (podman) or {@code name@digest} (docker). */
    static String reference(String repositoryUri, String reported) {
        String digest = reported.contains("@") ? reported.substring(reported.indexOf('@') + 1) : reported;
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new DeployException("the push reported no image digest (got '" + reported + "')");
        }
        return repositoryUri + "@" + digest;
    }

    private String run(List<String> command, String stdin) throws IOException {
        out.println("$ " + String.join(" ", command));
        Process process = new ProcessBuilder(command)
                .directory(context.toFile())
                .redirectErrorStream(true)
                .start();
        try (OutputStream input = process.getOutputStream()) {
            if (stdin != null) {
                input.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new DeployException(command.get(0) + " " + command.get(1) + " failed (exit " + exit + "): "
                        + output.strip().lines().reduce((a, b) -> b).orElse(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted");
        }
        return output.strip().lines().reduce((a, b) -> b).orElse("");
    }
}
