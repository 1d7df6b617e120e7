package dev.gust.scheduler.operators.bash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.python.PythonSettings;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The bash spawn helper: a command it starts is what the JVM would have started (its own process
 * group and session, the same exit codes, output and XCom), a Python that cannot serve sends the
 * command through the JVM, and a helper that dies takes its running command with it.
 */
class BashSpawnerTest {

    private static final Map<String, String> ENVIRONMENT =
            Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/tmp");

    /** Its own pid, parent, process group and session, from /proc. */
    private static final String IDENTITY =
            "read -r _ _ _ ppid pgrp sid _ < /proc/$$/stat; echo \"$$ $ppid $pgrp $sid\"";

    private final BashOperator bash = new BashOperator();

    @Test
    void theHelperStartsTheCommandAsTheLeaderOfItsOwnSession() throws Exception {
        Path python = python();
        FakeTaskRunContext context =
                FakeTaskRunContext.of("bash_command", "echo out; echo err >&2; echo \"zero=$0\"; " + IDENTITY);

        bash.execute(context);

        long[] ids = ids((String) context.xcoms.get("return_value"));
        assertThat(ids[1])
                .as("its parent: the helper")
                .isEqualTo(BashSpawner.of(python).pid());
        assertThat(ids[2]).as("its process group").isEqualTo(ids[0]);
        assertThat(ids[3]).as("its session").isEqualTo(ids[0]);
        assertThat(context.logLines).contains("out", "err", "zero=bash", "Command exited with return code 0");
    }

    @Test
    void withoutAUsablePythonTheJvmStartsTheCommandUnderSetsid() throws Exception {
        FakeTaskRunContext context =
                FakeTaskRunContext.of("bash_command", IDENTITY).python(settings("/bin/false", true));

        bash.execute(context);

        long[] ids = ids((String) context.xcoms.get("return_value"));
        assertThat(ids[1])
                .as("its parent: this JVM (setsid replaced itself with bash)")
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(ids[2]).isEqualTo(ids[0]);
    }

    @Test
    void pythonForkServerOffStartsTheCommandThroughTheJvm() throws Exception {
        python();
        FakeTaskRunContext context =
                FakeTaskRunContext.of("bash_command", IDENTITY).python(settings("python3", false));

        bash.execute(context);

        assertThat(ids((String) context.xcoms.get("return_value"))[1])
                .isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void withoutAPathBashIsFoundWhereExecvpLooksAndStillStartedByTheHelper() throws Exception {
        Path python = python();
        BashRun run = new BashCommand(
                        IDENTITY, null, Map.of("HOME", "/tmp"), java.nio.charset.StandardCharsets.UTF_8, python)
                .run(line -> {});

        assertThat(ids(run.lastStdoutLine())[1])
                .isEqualTo(BashSpawner.of(python).pid());
    }

    @Test
    void outputFasterThanItsLogIsWrittenHoldsTheHelperBackAndArrivesWhole() throws Exception {
        Path python = python();
        java.util.concurrent.atomic.AtomicInteger lines = new java.util.concurrent.atomic.AtomicInteger();
        // 20 MB in 100-byte lines, read by a log that takes its time: far more than the queue holds
        BashRun run = new BashCommand(
                        "head -c 20000000 /dev/zero | tr '\\0' x | fold -w 100; echo; echo end",
                        null,
                        ENVIRONMENT,
                        java.nio.charset.StandardCharsets.UTF_8,
                        python)
                .run(line -> {
                    if (lines.incrementAndGet() % 20_000 == 0) {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });

        assertThat(run.exitCode()).isZero();
        assertThat(run.lastStdoutLine()).isEqualTo("end");
        // "Running command", 200,000 lines of x, "end", "Command exited with return code 0"
        assertThat(lines.get()).isEqualTo(200_003);
        // another command is served meanwhile and after
        assertThat(new BashCommand("echo next", null, ENVIRONMENT, java.nio.charset.StandardCharsets.UTF_8, python)
                        .run(line -> {})
                        .lastStdoutLine())
                .isEqualTo("next");
    }

    @Test
    void exitCodesAreTheJvmsIncludingASignalsOwn() throws Exception {
        python();
        for (boolean helper : List.of(true, false)) {
            for (var entry : Map.of("exit 7", 7, "kill -TERM $$", 143, "kill -KILL $$", 137)
                    .entrySet()) {
                BashCommand command = new BashCommand(
                        entry.getKey(),
                        null,
                        ENVIRONMENT,
                        java.nio.charset.StandardCharsets.UTF_8,
                        helper ? python() : null);
                assertThat(command.run(line -> {}).exitCode())
                        .as("%s, %s", entry.getKey(), helper ? "through the helper" : "through the JVM")
                        .isEqualTo(entry.getValue());
            }
        }
    }

    @Test
    void aHelperThatDiesFailsTheTryAndKillsItsCommand() throws Exception {
        Path python = python();
        BashCommand command = new BashCommand(
                "echo ready; sleep 305", null, ENVIRONMENT, java.nio.charset.StandardCharsets.UTF_8, python);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                command.run(lines::add);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!lines.contains("ready") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<ProcessHandle> sleeps = ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").matches("(\\S*/)?sleep 305"))
                .toList();
        assertThat(sleeps).hasSize(1);

        ProcessHandle.of(BashSpawner.of(python).pid()).orElseThrow().destroyForcibly();
        runner.join(Duration.ofSeconds(10));

        assertThat(runner.isAlive()).isFalse();
        assertThat(thrown.get())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot run bash: the bash spawn helper exited");
        assertThat(sleeps).noneMatch(ProcessHandle::isAlive);
        // the next try gets a new helper
        BashRun next = new BashCommand("echo again", null, ENVIRONMENT, java.nio.charset.StandardCharsets.UTF_8, python)
                .run(line -> {});
        assertThat(next.lastStdoutLine()).isEqualTo("again");
    }

    private static long[] ids(String line) {
        return java.util.Arrays.stream(line.trim().split(" "))
                .mapToLong(Long::parseLong)
                .toArray();
    }

    private static PythonSettings settings(String interpreter, boolean forkServer) {
        return new PythonSettings(
                new GustConfig.Python(interpreter, List.of()),
                Path.of(System.getProperty("java.io.tmpdir")),
                Path.of(System.getProperty("java.io.tmpdir"), "gust-test-python"),
                forkServer);
    }

    private static Path python() {
        return new GustConfig.Python("python3", List.of())
                .locate(ENVIRONMENT)
                .orElseThrow(() -> new AssertionError(
                        "these tests need python3 on /usr/local/bin:/usr/bin:/bin: install Debian's python3"));
    }
}
