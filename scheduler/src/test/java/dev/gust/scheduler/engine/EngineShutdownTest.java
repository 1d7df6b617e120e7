package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stop ECS asks for (SIGTERM ends in {@link SchedulerEngine#close()}): a task that does not
 * finish within the grace period is stopped, its processes die, and it goes back for retry without
 * counting the try.
 */
class EngineShutdownTest {

    EngineHarness harness;

    @BeforeEach
    void setUp() {
        harness = EngineHarness.create(Map.of("GUST_SCHEDULER__SHUTDOWN_GRACE_PERIOD", "1s"));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void aTaskStillRunningAfterTheGracePeriodIsStoppedAndReleasedWithoutUsingATry() throws Exception {
        Path pids = harness.dir().resolve("pids");
        harness.dag("long.yaml", """
                long_task:
                  schedule: null
                  tasks:
                    sleeper:
                      operator: bash
                      bash_command: "echo $$ >> %s; sleep 120"
                """.formatted(pids));
        harness.unpause("long_task");
        DagRunRepository runs = new DagRunRepository(harness.db().jdbc());
        String runId = new DagRunCreator(
                        runs, new DagDefinitions(new DagRepository(harness.db().jdbc())), false, Clock.systemUTC())
                .trigger("long_task", Map.of(), Instant.parse("2024-01-01T00:00:00Z"), "test");
        DagRun run = runs.find("long_task", runId).orElseThrow();

        SchedulerEngine engine = harness.startEngine();
        EngineHarness.await(
                Duration.ofSeconds(30),
                "the task to be running",
                () -> harness.taskInstances(run).stream()
                        .map(TaskInstance::state)
                        .toList(),
                states -> states.contains(TaskState.RUNNING));
        EngineHarness.await(
                Duration.ofSeconds(10), "the task's shell to record its pid", () -> Files.exists(pids), e -> e);
        long started = System.nanoTime();
        engine.close();
        Duration stopping = Duration.ofNanos(System.nanoTime() - started);

        TaskInstance ti = harness.ti(run, "sleeper");
        assertThat(ti.state()).isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(ti.tryNumber()).as("the stopped try does not count").isZero();
        assertThat(stopping).isLessThan(Duration.ofSeconds(20));
        long pid = Long.parseLong(Files.readAllLines(pids).getFirst().trim());
        EngineHarness.await(
                Duration.ofSeconds(10),
                "the task's shell to be gone",
                () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                alive -> !alive);
        assertThat(harness.log(run, "sleeper", 1)).contains("shutting down");
    }
}
