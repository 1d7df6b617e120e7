package dev.gust.bench.startup;

import dev.gust.bench.BenchContext;
import dev.gust.bench.BenchmarkException;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.sync.DagFolderSync;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code gust bench startup}: the time from starting a process through the distribution's launcher
 * ({@code bin/gust}) to its being ready, with the start-up cache and without it
 * ({@code GUST_STARTUP_CACHE=off}), the two interleaved run by run so that the machine's load
 * falls on both alike. Ready is: {@code /health} answers 200 (the scheduler's health port, the web
 * server's {@code /health}), or the command exited 0 ({@code gust --version}, {@code gust dags
 * list}). The processes use a throwaway embedded PostgreSQL, migrated and synced beforehand, as a
 * deployment's RDS would be. Each row carries the load average when its runs ended.
 */
public record StartupBenchmark(BenchContext context, StartupBenchmark.Settings settings) implements Runnable {

    /**
     * The options of {@code gust bench startup}.
     *
     * @param launcher the distribution's {@code bin/gust}
     * @param javaHome the runtime the launcher starts (this JVM's)
     */
    public record Settings(int runs, Path launcher, Path javaHome) {}

    /** What is started, and how it counts as ready. */
    private record Target(String name, List<String> args, String healthPortKey) {
        boolean server() {
            return healthPortKey != null;
        }
    }

    private static final List<Target> TARGETS = List.of(
            new Target("gust --version", List.of("--version"), null),
            new Target("gust dags list", List.of("dags", "list"), null),
            new Target("gust scheduler", List.of("scheduler"), "GUST_SCHEDULER__HEALTH_PORT"),
            new Target("gust webserver", List.of("webserver"), "GUST_WEBSERVER__PORT"));

    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private static final String DAGS = """
            startup_a:
              schedule: "@daily"
              default_args: {start_date: 2024-01-01}
              tasks:
                extract: {operator: bash, bash_command: "echo extract"}
                load: {operator: empty, dependencies: [extract]}
            startup_b:
              schedule: "0 * * * *"
              default_args: {start_date: 2024-01-01}
              tasks:
                only: {operator: empty}
            """;

    @Override
    public void run() {
        PrintWriter out = context.out();
        if (!Files.isRegularFile(settings.launcher())) {
            throw new BenchmarkException("no launcher at " + settings.launcher()
                    + "; run gust bench startup from the distribution (./gust or cli/target/gust/bin/gust)");
        }
        Path cache = cacheFile();
        out.printf(
                "start-up of %s on the runtime at %s; cache: %s%n",
                settings.launcher(),
                settings.javaHome(),
                cache == null ? "none trained for this runtime (both columns start without one)" : cache);
        try (Workspace workspace = Workspace.create()) {
            Path dags = Files.createDirectories(workspace.root().resolve("dags"));
            Files.writeString(dags.resolve("startup.yaml"), DAGS);
            String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
            GustConfig config = workspace.config(dags, Map.of("GUST_SECURITY__ENCRYPTION_KEY", key));
            out.println("starting a throwaway embedded PostgreSQL ...");
            out.flush();
            try (ThrowawayDatabase database = workspace.open(context, config)) {
                try (DagFolderSync sync = database.dagFolderSync()) {
                    sync.sync();
                }
                Map<String, String> env = new HashMap<>();
                env.put("JAVA_HOME", settings.javaHome().toString());
                env.put(
                        "GUST_CORE__HOME",
                        workspace.root().resolve("process-home").toString());
                env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
                env.put("GUST_SECURITY__ENCRYPTION_KEY", key);
                env.put(
                        "GUST_DATABASE__URL",
                        database.database().embeddedServer().orElseThrow().jdbcUrlWithCredentials());
                env.put("GUST_WEBSERVER__HOST", "127.0.0.1");
                Figures figures = new Figures("process", "cache", "runs", "median ms", "p90 ms", "min ms", "load 1m");
                for (Target target : TARGETS) {
                    List<Long> with = new ArrayList<>();
                    List<Long> without = new ArrayList<>();
                    for (int run = 0; run < settings.runs(); run++) {
                        with.add(measure(target, env, true, workspace.root()));
                        without.add(measure(target, env, false, workspace.root()));
                    }
                    String load = loadAverage();
                    figures.add(row(target, cache == null ? "none" : "on", with, load));
                    figures.add(row(target, "off", without, load));
                    out.printf("%s: done%n", target.name());
                    out.flush();
                }
                context.printTable().accept(figures);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted");
        }
    }

    /** The cache the launcher will pick for this runtime, or null (its rule, in Java). */
    private Path cacheFile() {
        Path aot = settings.launcher().getParent().getParent().resolve("aot");
        String runtime = runtimeVersion(settings.javaHome());
        for (String suffix : List.of(".aot", ".jsa")) {
            Path file = aot.resolve("java-" + runtime + suffix);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    /** The runtime's name as the launcher reads it: JAVA_RUNTIME_VERSION, else JAVA_VERSION. */
    private static String runtimeVersion(Path javaHome) {
        String runtimeVersion = null;
        String version = null;
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                    runtimeVersion =
                            line.substring("JAVA_RUNTIME_VERSION=".length()).replace("\"", "");
                } else if (line.startsWith("JAVA_VERSION=")) {
                    version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // no release file: the launcher then uses no cache either
        }
        return runtimeVersion != null ? runtimeVersion : version != null ? version : "unknown";
    }

    /** Milliseconds from starting the launcher to ready; the process is stopped afterwards. */
    private long measure(Target target, Map<String, String> baseEnv, boolean cache, Path work)
            throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("GUST_SCHEDULER__HEALTH_PORT", String.valueOf(freePort()));
        env.put("GUST_WEBSERVER__PORT", String.valueOf(freePort()));
        if (!cache) {
            env.put("GUST_STARTUP_CACHE", "off");
        }
        List<String> command = new ArrayList<>(List.of("sh", settings.launcher().toString()));
        command.addAll(target.args());
        Path log = Files.createTempFile(work, "startup-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GUST_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            if (!target.server()) {
                if (!process.waitFor(READY_WITHIN.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new BenchmarkException(target.name() + " failed:\n" + Files.readString(log));
                }
                return (System.nanoTime() - started) / 1_000_000;
            }
            URI health = URI.create("http://127.0.0.1:" + env.get(target.healthPortKey()) + "/health");
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();
            long deadline = started + READY_WITHIN.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (status(http, health) == 200) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                Thread.sleep(10);
            }
            throw new BenchmarkException(target.name() + " was not healthy within " + READY_WITHIN.toSeconds() + " s:\n"
                    + Files.readString(log));
        } finally {
            stop(process);
        }
    }

    private static int status(HttpClient http, URI uri) throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGTERM, as ECS stops a task; SIGKILL when it lingers. */
    private static void stop(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String[] row(Target target, String cache, List<Long> millis, String load) {
        List<Long> sorted = millis.stream().sorted().toList();
        return new String[] {
            target.name(),
            cache,
            String.valueOf(sorted.size()),
            String.valueOf(percentile(sorted, 50)),
            String.valueOf(percentile(sorted, 90)),
            String.valueOf(sorted.getFirst()),
            load
        };
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
