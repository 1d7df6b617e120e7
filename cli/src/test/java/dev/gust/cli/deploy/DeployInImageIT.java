package dev.gust.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gust deploy} in a distribution laid out as the container image ships it: the packaged
 * distribution keeps the AWS clients only deploy uses in {@code lib/deploy}, the image leaves that
 * folder (and {@code lib/embedded}) out, and a deploy command there answers with one line saying
 * where to run it instead of a {@code NoClassDefFoundError}.
 */
class DeployInImageIT {

    private static final Path DISTRIBUTION = Path.of("target/gust").toAbsolutePath();

    @TempDir
    Path work;

    @Test
    void theDeployOnlyClientsAreInTheirOwnFolderOffTheCachedClassPath() throws IOException {
        assertThat(DISTRIBUTION.resolve("lib/deploy")).isDirectory();
        assertThat(jarNames(DISTRIBUTION.resolve("lib/deploy")))
                .anyMatch(name -> name.startsWith("ec2-"))
                .anyMatch(name -> name.startsWith("rds-"))
                .noneMatch(name -> name.startsWith("ecs-") || name.startsWith("s3-"));
        assertThat(jarNames(DISTRIBUTION.resolve("lib")))
                .anyMatch(name -> name.startsWith("ecs-"))
                .anyMatch(name -> name.startsWith("s3-"))
                .noneMatch(name -> name.startsWith("ec2-") || name.startsWith("rds-") || name.startsWith("netty-"));
        assertThat(DISTRIBUTION.resolve("lib/classpath.txt")).content().doesNotContain("ec2-");
    }

    @Test
    void aDeployCommandInTheImageSaysWhereToRunItInOneLine() throws Exception {
        Path image = imageLayout();

        Run status = gust(image, "deploy", "status", "--name", "demo", "--region", "eu-west-1");

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.stdout()).isEmpty();
        assertThat(status.stderr()).isEqualTo("error: " + DeployClientsCheck.MISSING + "\n");

        Run help = gust(image, "deploy", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage: gust deploy");
    }

    record Run(int exitCode, String stdout, String stderr) {}

    private Run gust(Path distribution, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".log");
        Path err = Files.createTempFile(work, "err", ".log");
        List<String> command =
                new ArrayList<>(List.of("sh", distribution.resolve("bin/gust").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GUST_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("GUST_CORE__HOME", work.resolve("home").toString());
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The distribution as the Dockerfile leaves it: bin/, lib/'s own jars and the cache, no lib/deploy or lib/embedded. */
    private Path imageLayout() throws IOException {
        Path copy = work.resolve("opt-gust");
        Files.createDirectories(copy.resolve("bin"));
        Files.createDirectories(copy.resolve("lib"));
        Files.copy(DISTRIBUTION.resolve("bin/gust"), copy.resolve("bin/gust"));
        try (Stream<Path> files = Files.list(DISTRIBUTION.resolve("lib"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.createSymbolicLink(copy.resolve("lib").resolve(file.getFileName()), file);
            }
        }
        if (Files.isDirectory(DISTRIBUTION.resolve("aot"))) {
            Files.createSymbolicLink(copy.resolve("aot"), DISTRIBUTION.resolve("aot"));
        }
        return copy;
    }

    private static List<String> jarNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .toList();
        }
    }
}
