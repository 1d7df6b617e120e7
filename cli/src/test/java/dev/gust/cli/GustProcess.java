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
                throw new AssertionError("gust " + String.join(" ", args) + " did not finish within 2 minutes:\n" + gust.output());
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
