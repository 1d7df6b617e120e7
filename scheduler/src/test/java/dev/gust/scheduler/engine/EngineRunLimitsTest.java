package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** max_active_runs and dagrun_timeout, with a real scheduler and real subprocesses. */
class EngineRunLimitsTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @Test
    void maxActiveRunsLetsOneRunWorkAtATime() throws Exception {
        Path events = harness.dir().resolve("events.log");
        harness.dag("one_at_a_time.yaml", """
                one_at_a_time:
                  schedule: null
                  max_active_runs: 1
                  tasks:
                    work:
                      operator: bash
                      bash_command: %s
                """.formatted(EngineHarness.yaml(
                EngineHarness.record(events, "start") + "; sleep 1; " + EngineHarness.record(events, "end"))));
        harness.unpause("one_at_a_time");
        var creator = new DagRunCreator(
                new DagRunRepository(harness.db().jdbc()),
                new DagDefinitions(new DagRepository(harness.db().jdbc())),
                false,
                Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            creator.trigger(
                    "one_at_a_time",
                    Map.of(),
                    Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i),
                    "test");
        }
        try (SchedulerEngine engine = harness.startEngine()) {
            EngineHarness.await(
                    Duration.ofSeconds(60),
                    "three finished runs",
                    () -> harness.runs("one_at_a_time"),
                    runs -> runs.size() == 3 && runs.stream().allMatch(r -> r.state() == DagRunState.SUCCESS));
        }
        assertThat(EngineHarness.events(events)).hasSize(6);
        assertThat(EngineHarness.maxOverlap(EngineHarness.events(events))).isEqualTo(1);
    }

    @Test
    void dagrunTimeoutFailsTheRunSkipsItsTasksAndStopsTheRunningOne() throws Exception {
        Path pids = harness.dir().resolve("pids");
        harness.dag("slow.yaml", """
                slow:
                  schedule: null
                  dagrun_timeout: 2s
                  tasks:
                    sleeper:
                      operator: bash
                      bash_command: "echo $$ >> %s; sleep 120"
                    after:
                      operator: bash
                      bash_command: "true"
                      dependencies: [sleeper]
                """.formatted(pids));
        DagRun run = new SingleRunExecution(harness.config(), harness.db().database(), Clock.systemUTC())
                .run("slow", Instant.parse("2024-01-01T00:00:00Z"), Map.of());

        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
        assertThat(harness.states(run))
                .containsEntry("sleeper", TaskState.SKIPPED)
                .containsEntry("after", TaskState.SKIPPED);
        assertThat(Duration.between(run.startDate(), run.endDate())).isLessThan(Duration.ofSeconds(60));
        List<String> recorded = Files.readAllLines(pids);
        assertThat(recorded).hasSize(1);
        long pid = Long.parseLong(recorded.getFirst().trim());
        EngineHarness.await(
                Duration.ofSeconds(10),
                "the task's shell to be gone",
                () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                alive -> !alive);
    }
}
