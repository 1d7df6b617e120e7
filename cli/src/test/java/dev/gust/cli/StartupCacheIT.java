package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.cli.startup.JavaRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launcher and its start-up cache (trained when the cli module is packaged):
 * the launcher hands the cache to a JVM of the runtime it was trained on, which then loads Gust's
 * classes from it (the JVM's own class loading log says where each class came from); a stale,
 * corrupt or foreign cache changes nothing a user sees.
 */
class StartupCacheIT {

    private static final Path DISTRIBUTION = Path.of("target/gust").toAbsolutePath();
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final String CACHE_NAME =
            "java-" + JavaRuntime.current().version() + (Runtime.version().feature() >= 25 ? ".aot" : ".jsa");

    @TempDir
    Path work;

    @Test
    void packagingTrainsACacheForTheBuildsRuntimeAndTheLauncherUsesIt() throws Exception {
        assertThat(DISTRIBUTION.resolve("aot").resolve(CACHE_NAME)).isRegularFile();
        assertThat(DISTRIBUTION.resolve("lib/classpath.txt")).content().contains("gust-cli.jar");

        Run cached = version(DISTRIBUTION, false);
        assertThat(cached.stdout()).startsWith("gust ");
        assertThat(cached.stderr()).isEmpty();
        assertThat(cached.classSource("dev.gust.cli.GustCommand")).isEqualTo("shared objects file");

        Run uncached = version(DISTRIBUTION, true);
        assertThat(uncached.stdout()).isEqualTo(cached.stdout());
        assertThat(uncached.classSource("dev.gust.cli.GustCommand")).startsWith("file:");
    }

    @Test
    void aDistributionMovedElsewhereKeepsUsingItsCache() throws Exception {
        // unpacked somewhere else than where it was built, with the (empty) plugins folder users create
        Path moved = linkedCopy("moved");
        Files.createDirectories(moved.resolve("plugins"));

        Run run = version(moved, false);
        assertThat(run.stdout()).startsWith("gust ");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.classSource("dev.gust.cli.GustCommand"))
                .as("the JVM maps the cache's class path onto the new folder")
                .isEqualTo("shared objects file");
    }

    @Test
    void aCacheStaleSinceAJarChangedIsIgnoredSilently() throws Exception {
        Path copy = linkedCopy("stale");
        Path jar = copy.resolve("lib/gust-core-0.1.0-SNAPSHOT.jar");
        Files.delete(jar);
        Files.copy(DISTRIBUTION.resolve("lib/gust-core-0.1.0-SNAPSHOT.jar"), jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));

        Run run = version(copy, false);
        assertThat(run.stdout()).startsWith("gust ");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.classSource("dev.gust.cli.GustCommand")).startsWith("file:");
    }

    @Test
    void aCorruptCacheIsIgnoredSilently() throws Exception {
        Path copy = linkedCopy("corrupt");
        Path cache = copy.resolve("aot").resolve(CACHE_NAME);
        Files.delete(cache);
        Files.writeString(cache, "not a cache");

        Run run = version(copy, false);
        assertThat(run.stdout()).startsWith("gust ");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.classSource("dev.gust.cli.GustCommand")).startsWith("file:");
    }

    @Test
    void aCacheOfAnotherRuntimeIsNotHandedToThisOne() throws Exception {
        Path copy = linkedCopy("foreign");
        Files.move(copy.resolve("aot").resolve(CACHE_NAME), copy.resolve("aot/java-21.0.1+12-LTS.jsa"));

        Run run = version(copy, false);
        assertThat(run.stdout()).startsWith("gust ");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.classSource("dev.gust.cli.GustCommand")).startsWith("file:");
    }

    @Test
    void shortCommandsRunOnTheJitsFirstTierAndTheLongRunningOnesOnBoth() throws Exception {
        assertThat(tieredStopAtLevel("--version")).isEqualTo(1);
        assertThat(tieredStopAtLevel("dags", "list", "--help")).isEqualTo(1);
        assertThat(tieredStopAtLevel("--config", "scheduler", "dags", "--help"))
                .as("--config's value is not the command")
                .isEqualTo(1);
        assertThat(tieredStopAtLevel("tasks", "test", "--help")).isEqualTo(1);
        assertThat(tieredStopAtLevel("scheduler", "--help")).isEqualTo(4);
        assertThat(tieredStopAtLevel("--verbose", "webserver", "--help")).isEqualTo(4);
        assertThat(tieredStopAtLevel("standalone", "--help")).isEqualTo(4);
        assertThat(tieredStopAtLevel("bench", "--help")).isEqualTo(4);
        assertThat(tieredStopAtLevel("tasks", "run", "--help")).isEqualTo(4);
    }

    /** The JIT's highest tier the launcher gave the JVM for this command line, as the JVM reports it. */
    private int tieredStopAtLevel(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "flags", ".log");
        List<String> command =
                new ArrayList<>(List.of("sh", DISTRIBUTION.resolve("bin/gust").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("GUST_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
        builder.environment().put("GUST_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return Files.readAllLines(out).stream()
                .filter(line -> line.matches("\\s*intx TieredStopAtLevel\\s.*"))
                .map(line -> Integer.parseInt(line.split("=")[1].strip().split("\\s+")[0]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TieredStopAtLevel in -XX:+PrintFlagsFinal's output"));
    }

    /** What {@code gust --version} printed, and where the JVM loaded each class from. */
    record Run(String stdout, String stderr, List<String> classLoading) {
        String classSource(String className) {
            String prefix = className + " source: ";
            return classLoading.stream()
                    .map(line -> line.substring(line.lastIndexOf(']') + 1).strip())
                    .filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(prefix.length()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(className + " was never loaded"));
        }
    }

    private Run version(Path distribution, boolean cacheOff) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".log");
        Path err = Files.createTempFile(work, "err", ".log");
        Path classes = Files.createTempFile(work, "classes", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        "sh", distribution.resolve("bin/gust").toString(), "--version")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GUST_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
        builder.environment().put("GUST_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
        if (cacheOff) {
            builder.environment().put("GUST_STARTUP_CACHE", "off");
        }
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(err)).isZero();
        return new Run(Files.readString(out), Files.readString(err), Files.readAllLines(classes));
    }

    /**
     * A distribution whose bin/ and lib/classpath.txt are copies and whose jars and cache are links
     * to the built ones (the cache checks the jars' size and time, which a link does not change).
     */
    private Path linkedCopy(String name) throws IOException {
        Path copy = work.resolve(name);
        Files.createDirectories(copy.resolve("bin"));
        Files.createDirectories(copy.resolve("lib"));
        Files.createDirectories(copy.resolve("aot"));
        Files.copy(DISTRIBUTION.resolve("bin/gust"), copy.resolve("bin/gust"));
        Files.createSymbolicLink(
                copy.resolve("aot").resolve(CACHE_NAME),
                DISTRIBUTION.resolve("aot").resolve(CACHE_NAME));
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(DISTRIBUTION.resolve("lib"))) {
            files.forEach(jars::add);
        }
        for (Path file : jars) {
            Path target = copy.resolve("lib").resolve(file.getFileName());
            if (file.getFileName().toString().endsWith(".jar")) {
                Files.createSymbolicLink(target, file);
            } else if (Files.isRegularFile(file)) {
                Files.copy(file, target);
            }
        }
        return copy;
    }
}
