package dev.gust.scheduler.operators.bash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BashOperatorTest {

    private final BashOperator bash = new BashOperator();

    @Test
    void successPushesTheLastStdoutLine() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of("bash_command", "echo first; echo oops >&2; echo last");
        assertThat(bash.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.xcoms).containsEntry("return_value", "last");
        assertThat(context.logLines).contains("first", "oops", "last");
    }

    @Test
    void nonZeroExitFailsWithTheCode() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of("bash_command", "exit 3");
        assertThat(bash.execute(context))
                .isEqualTo(new OperatorOutcome.Failed(
                        "Bash command failed. The command returned a non-zero exit code 3."));
        assertThat(context.xcoms).isEmpty();
    }

    @Test
    void skipCodesDefaultTo99AndMayBeAList() throws Exception {
        assertThat(bash.execute(FakeTaskRunContext.of("bash_command", "exit 99")))
                .isInstanceOf(OperatorOutcome.Skipped.class);
        assertThat(bash.execute(FakeTaskRunContext.of("bash_command", "exit 42", "skip_on_exit_code", List.of(1, 42))))
                .isInstanceOf(OperatorOutcome.Skipped.class);
        assertThat(bash.execute(FakeTaskRunContext.of("bash_command", "exit 99", "skip_on_exit_code", 1)))
                .isInstanceOf(OperatorOutcome.Failed.class);
    }

    @Test
    void envReplacesTheBaseEnvironmentUnlessAppended(@TempDir Path dir) throws Exception {
        String command =
                "echo \"$FOO|${BASE_ONLY:-unset}|$GUST_CTX_DAG_ID|$GUST_CTX_TASK_ID|$GUST_CTX_TRY_NUMBER|$(pwd)\"";
        FakeTaskRunContext replaced = FakeTaskRunContext.of(
                        "bash_command", command, "env", Map.of("FOO", "bar"), "cwd", dir.toString())
                .baseEnvironment(Map.of("BASE_ONLY", "x"));
        bash.execute(replaced);
        assertThat(replaced.xcoms.get("return_value")).isEqualTo("bar|unset|the_dag|the_task|1|" + dir.toRealPath());

        FakeTaskRunContext appended = FakeTaskRunContext.of(
                        "bash_command", command, "env", Map.of("FOO", "bar"), "append_env", true)
                .baseEnvironment(Map.of("BASE_ONLY", "x"));
        bash.execute(appended);
        assertThat((String) appended.xcoms.get("return_value")).startsWith("bar|x|the_dag|");

        FakeTaskRunContext inherited =
                FakeTaskRunContext.of("bash_command", command).baseEnvironment(Map.of("BASE_ONLY", "x"));
        bash.execute(inherited);
        assertThat((String) inherited.xcoms.get("return_value")).startsWith("|x|the_dag|");
    }

    @Test
    void runsInATemporaryDirectoryThatIsDeletedAfterwards() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of("bash_command", "touch made_here; pwd");
        bash.execute(context);
        Path dir = Path.of((String) context.xcoms.get("return_value"));
        assertThat(dir.getFileName().toString()).startsWith("gust-bash-");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aMissingCwdIsAClearError() {
        assertThatThrownBy(() -> bash.execute(FakeTaskRunContext.of("bash_command", "true", "cwd", "/no/such/dir")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("/no/such/dir");
    }

    @Test
    void linesAreLoggedWhileTheCommandRuns() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of("bash_command", "echo started; sleep 1; echo done");
        CompletableFuture<OperatorOutcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return bash.execute(context);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofMillis(900).toNanos();
        while (!context.logLines.contains("started") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(context.logLines).contains("started");
        assertThat(running).isNotDone();
        assertThat(running.get()).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.logLines).contains("done");
    }

    @Test
    void largeOutputAndInvalidUtf8DoNotBreakIt() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "bash_command",
                "seq 1 200000; head -c 200000 /dev/zero | tr '\\0' 'x'; echo; printf 'bad \\xff\\xfe bytes\\n'; echo end");
        assertThat(bash.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.logLines).contains("200000", "bad \uFFFD\uFFFD bytes");
        assertThat(context.logLines.stream()
                        .filter(l -> l.startsWith("xxx"))
                        .mapToInt(String::length)
                        .sum())
                .isEqualTo(200000);
        assertThat(context.logLines.stream().mapToInt(String::length).max().orElseThrow())
                .isLessThanOrEqualTo(LineReader.MAX_LINE_BYTES);
        assertThat(context.xcoms).containsEntry("return_value", "end");
    }

    @Test
    void interruptKillsTheWholeProcessTree() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "bash_command",
                "sleep 300 & (sleep 301 & sleep 302; wait) & setsid sleep 304 & echo ready; sleep 303; wait");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                bash.execute(context);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!context.logLines.contains("ready") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        List<ProcessHandle> sleeps = sleepsOfThisJvm();
        long interruptedAt = System.nanoTime();
        runner.interrupt();
        runner.join(Duration.ofSeconds(10));
        assertThat(sleeps).hasSize(5);
        assertThat(runner.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(6));
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(sleeps).noneMatch(ProcessHandle::isAlive);
    }

    private static List<ProcessHandle> sleepsOfThisJvm() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").matches("(\\S*/)?sleep 30[0-4]"))
                .toList();
    }

    @Test
    void readsOutputInTheGivenEncoding(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("latin1.txt"), "caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        FakeTaskRunContext context = FakeTaskRunContext.of(
                "bash_command", "cat latin1.txt", "cwd", dir.toString(), "output_encoding", "latin1");
        bash.execute(context);
        assertThat(context.xcoms).containsEntry("return_value", "caf\u00e9");
    }
}
