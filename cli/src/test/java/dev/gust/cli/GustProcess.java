package dev.gust.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code gust} process started through the root launcher ({@code ./gust}), as the README
 * tells users to, with its own home folder so that tests never touch the developer's ~/.gust.
 */
final class GustProcess implements AutoCloseable {

    static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;

    private GustProcess(Process process, Path stdoutFile, Path stderrFile) {
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    /** Runs {@code gust args...} to completion (at most two minutes) and returns its result. */
    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        try (GustProcess gust = start(env, args)) {
            if (!gust.process.waitFor(2, TimeUnit.MINUTES)) {
                throw new AssertionError(
                        "gust " + String.join(" ", args) + " did not finish within 2 minutes:\n" + gust.output());
            }
            return new Result(gust.process.exitValue(), gust.stdout(), gust.stderr());
        }
    }

    static GustProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(REPO_ROOT.resolve("gust").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("gust-out", ".log");
        Path err = Files.createTempFile("gust-err", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(REPO_ROOT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("GUST_"));
        environment.putAll(env);
        return new GustProcess(builder.start(), out, err);
    }

    /**
     * A fresh home folder and the environment that points gust at it; a scheduler's /health takes
     * any free port, so that tests running side by side never fight over the default 8974.
     */
    static Map<String, String> isolatedEnvironment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("GUST_CORE__HOME", home.toString());
        env.put("GUST_SCHEDULER__HEALTH_PORT", "0");
        return env;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Process process() {
        return process;
    }

    String stdout() throws IOException {
        return Files.readString(stdoutFile, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(stderrFile, StandardCharsets.UTF_8);
    }

    String output() throws IOException {
        return "--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
    }

    /**
     * SIGKILL to the JVM only, as when a container's main process is killed: the launcher execs
     * sh, which execs java, so the started process is the JVM; the bash tasks it started live in
     * their own process groups and may outlive it as orphans. Returns the pid it had.
     */
    long kill9() throws IOException, InterruptedException {
        ProcessHandle jvm = process.toHandle();
        if (!jvm.info().command().map(c -> c.endsWith("java")).orElse(false)) {
            throw new AssertionError(
                    "the launcher should exec into the JVM, found " + jvm.info().command());
        }
        Process kill = new ProcessBuilder("kill", "-9", String.valueOf(jvm.pid()))
                .inheritIO()
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -9 " + jvm.pid() + " failed");
        }
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 137) {
            throw new AssertionError("the JVM " + jvm.pid() + " did not die of SIGKILL");
        }
        return jvm.pid();
    }

    /** The port the process printed for its /health ("... health at http://localhost:PORT/health"), once it has. */
    java.util.OptionalInt healthPort() throws IOException {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("health at http://localhost:(\\d+)/health")
                .matcher(stdout());
        return matcher.find()
                ? java.util.OptionalInt.of(Integer.parseInt(matcher.group(1)))
                : java.util.OptionalInt.empty();
    }

    /** SIGTERM, as ECS sends, then the exit code (or -1 if it had to be killed). */
    int terminate(Duration grace) throws InterruptedException {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor();
        return -1;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }
}
