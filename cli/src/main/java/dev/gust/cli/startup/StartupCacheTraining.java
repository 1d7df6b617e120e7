package dev.gust.cli.startup;

import dev.gust.cli.context.MetadataDatabase;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Trains the distribution's start-up cache at build time (Maven's package phase runs it on the
 * distribution in {@code cli/target/gust}): JDK 25's ahead-of-time cache ({@code -XX:AOTCacheOutput},
 * JEP 483/514) or, before 25, a class data sharing archive ({@code -XX:ArchiveClassesAtExit}). The
 * cache holds the classes a run loaded, already parsed and linked, and the launcher
 * ({@code bin/gust}) hands it to every JVM of the same runtime, which then starts without reading
 * and verifying them again.
 *
 * <p>A cache serves only a JVM whose class path begins with the one it was trained on, so this
 * also writes {@code lib/classpath.txt}, the jars in the order the launcher puts them. The training
 * run itself is {@link TrainingWorkload}, in a child JVM on exactly that class path; this process
 * hosts the embedded PostgreSQL it works against, whose binaries (in {@code lib/embedded}, left
 * out of the image) must stay off the trained class path.
 */
public final class StartupCacheTraining {

    /** The child's whole run; a healthy one takes 10 to 30 s on a busy 2-core machine. */
    private static final long TIMEOUT_SECONDS = 180;

    private StartupCacheTraining() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: StartupCacheTraining DISTRIBUTION_DIR [JVM_OPTION...]");
            System.exit(2);
        }
        List<String> jvmOptions = List.of(args).subList(1, args.length);
        System.exit(train(Path.of(args[0]).toAbsolutePath(), jvmOptions, new PrintWriter(System.out, true)));
    }

    /**
     * Trains the cache of the running JDK into {@code distribution/aot}; 0 when done.
     * {@code jvmOptions} go to the training JVM (to try how the cache is made).
     */
    public static int train(Path distribution, List<String> jvmOptions, PrintWriter out)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path lib = distribution.resolve("lib");
        List<String> jars = writeClassPath(lib);
        String runtime = JavaRuntime.current().version();
        boolean aot = Runtime.version().feature() >= 25;
        Path cacheDir = Files.createDirectories(distribution.resolve("aot"));
        clear(cacheDir);
        Path cache = cacheDir.resolve("java-" + runtime + (aot ? ".aot" : ".jsa"));

        Path work = Files.createTempDirectory("gust-startup-training");
        try {
            Path dags = Files.createDirectories(work.resolve("dags"));
            Files.writeString(dags.resolve("training.yaml"), TrainingWorkload.DAG_YAML);
            String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
            Map<String, String> env = new HashMap<>();
            env.put("GUST_CORE__HOME", work.resolve("home").toString());
            env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
            env.put("GUST_SECURITY__ENCRYPTION_KEY", key);
            GustConfig config = GustConfig.load(null, env);
            try (Database database = MetadataDatabase.open(config, new PrintWriter(System.err, true))) {
                String url = database.embeddedServer().orElseThrow().jdbcUrlWithCredentials();
                env.put("GUST_CORE__HOME", work.resolve("child-home").toString());
                env.put("GUST_DATABASE__URL", url);
                env.put("GUST_SCHEDULER__HEALTH_PORT", String.valueOf(freePort()));
                env.put("GUST_WEBSERVER__PORT", String.valueOf(freePort()));
                env.put("GUST_WEBSERVER__HOST", "127.0.0.1");
                int exit = runChild(lib, jars, cache, aot, jvmOptions, env, work.resolve("training.log"), out);
                if (exit != 0) {
                    return exit;
                }
            }
        } finally {
            delete(work);
        }
        if (!Files.isRegularFile(cache)) {
            out.println("gust: the start-up training ran but wrote no " + cache);
            return 1;
        }
        out.printf(
                "gust: start-up cache %s trained in %.0f s (%d MB)%n",
                distribution.relativize(cache), (System.nanoTime() - started) / 1e9, Files.size(cache) / 1_000_000);
        return 0;
    }

    private static int runChild(
            Path lib,
            List<String> jars,
            Path cache,
            boolean aot,
            List<String> jvmOptions,
            Map<String, String> env,
            Path log,
            PrintWriter out)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(aot ? "-XX:AOTCacheOutput=" + cache : "-XX:ArchiveClassesAtExit=" + cache);
        if (aot) {
            // Classes stay loaded on demand: with ahead-of-time linking the JVM loads every cached
            // class (some 9,000) as it starts, which made `gust --version` slower than without a
            // cache, while the servers started no faster than with the classes loaded on demand
            // (docs/benchmarks.md, "Start-up").
            command.add("-XX:-AOTClassLinking");
        }
        command.addAll(jvmOptions);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(String.join(
                ":", jars.stream().map(jar -> lib.resolve(jar).toString()).toList()));
        command.add(TrainingWorkload.class.getName());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GUST_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(env);
        Process child = builder.start();
        if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            out.println("gust: the start-up training did not finish within " + TIMEOUT_SECONDS + " s; its log:");
            printTail(log, out);
            return 1;
        }
        if (child.exitValue() != 0) {
            out.println("gust: the start-up training failed (exit " + child.exitValue() + "); its log:");
            printTail(log, out);
            return 1;
        }
        return 0;
    }

    /** The jars of lib/, by name: the one order the launcher and the cache agree on. */
    private static List<String> writeClassPath(Path lib) throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .sorted()
                    .toList();
        }
        Files.writeString(lib.resolve("classpath.txt"), String.join("\n", jars) + "\n", StandardCharsets.UTF_8);
        return jars;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void clear(Path cacheDir) throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void printTail(Path log, PrintWriter out) throws IOException {
        List<String> lines = Files.readAllLines(log);
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(out::println);
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
