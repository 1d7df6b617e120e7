package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code execution_timeout} stops the whole process tree of a bash task: its background child,
 * its foreground child and a grandchild orphaned to init all die, the task fails (or goes up for
 * retry) and its log says why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineExecutionTimeoutTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private final Path pids = harness.dir().resolve("pids");

    @AfterEach
    void tearDown() {
        // Never leave a stray sleep behind, even when the engine failed to kill it.
        pidsRecorded().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private void sleeperDag(int retries) {
        String command = "sleep 300 & echo $! >> " + pids + "; "
                + "( sleep 300 & echo $! >> " + pids + " ); "
                + "bash -c 'echo $$ >> " + pids + "; exec sleep 300'; wait";
        harness.retriedTaskDag("sleeper", command, retries, "execution_timeout: 2s");
    }

    @Test
    void theTimeoutFailsTheTaskAndKillsEveryProcessItStarted() throws Exception {
        sleeperDag(0);
        DagRun run = harness.run("sleeper");

        TaskInstance sleeper = harness.ti(run, "sleeper");
        assertThat(sleeper.state()).isEqualTo(TaskState.FAILED);
        assertThat(harness.log(run, "sleeper", 1)).contains("execution_timeout").contains("exceeded");
        assertThat(harness.ti(run, "after").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
        List<Long> started = pidsRecorded();
        assertThat(started).as("pids of the sleeps").hasSize(3);
        assertThat(started)
                .allSatisfy(pid -> assertThat(EngineHarness.isRunning(pid))
                        .as("sleep %d still alive", pid)
                        .isFalse());
    }

    @Test
    void withARetryLeftTheTimedOutTryIsRetriedAndEveryTryIsKilled() throws Exception {
        sleeperDag(1);
        DagRun run = harness.run("sleeper");

        TaskInstance sleeper = harness.ti(run, "sleeper");
        assertThat(sleeper.state()).isEqualTo(TaskState.FAILED);
        assertThat(sleeper.tryNumber()).isEqualTo(2);
        assertThat(harness.log(run, "sleeper", 1)).contains("execution_timeout").contains("UP_FOR_RETRY");
        assertThat(harness.log(run, "sleeper", 2)).contains("execution_timeout").contains("FAILED");
        List<Long> started = pidsRecorded();
        assertThat(started).as("pids of the sleeps of both tries").hasSize(6);
        assertThat(started)
                .allSatisfy(pid -> assertThat(EngineHarness.isRunning(pid))
                        .as("sleep %d still alive", pid)
                        .isFalse());
    }

    private List<Long> pidsRecorded() {
        try {
            return Files.exists(pids)
                    ? Files.readAllLines(pids).stream()
                            .filter(l -> !l.isBlank())
                            .map(String::trim)
                            .map(Long::valueOf)
                            .toList()
                    : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
