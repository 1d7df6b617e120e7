package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two whole schedulers on one database share a run of twenty tasks: each task runs exactly once
 * (its command appends its id and try number to a file), all succeed, the run succeeds, and
 * both schedulers took part.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EngineTwoSchedulersTest {

    @Test
    void twoSchedulersRunEveryTaskExactlyOnce() throws Exception {
        try (EngineHarness harness = EngineHarness.create(Map.of("GUST_CORE__PARALLELISM", "4"))) {
            Path ran = harness.dir().resolve("ran");
            String command = EngineHarness.yaml(EngineHarness.record(ran, "ran") + "; sleep 0.3");
            harness.dag(
                    "wide.yaml",
                    "wide:\n  schedule: null\n  max_active_tasks: 32\n  tasks:\n"
                            + IntStream.rangeClosed(1, 20)
                                    .mapToObj(i ->
                                            "    t%02d: {operator: bash, bash_command: %s}\n".formatted(i, command))
                                    .collect(Collectors.joining()));
            harness.unpause("wide");
            SchedulerEngine first = harness.startEngine();
            harness.startEngine();

            String runId = first.runCreator().trigger("wide", Map.of(), Instant.now(), "test");
            DagRunRepository dagRuns = new DagRunRepository(harness.db().jdbc());
            DagRun run = EngineHarness.await(
                    Duration.ofSeconds(60),
                    "the run to finish",
                    () -> dagRuns.find("wide", runId).orElseThrow(),
                    r -> r.state().isFinished());

            assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
            List<TaskInstance> tis = harness.taskInstances(run);
            assertThat(tis).hasSize(20).allSatisfy(ti -> {
                assertThat(ti.state()).isEqualTo(TaskState.SUCCESS);
                assertThat(ti.tryNumber()).isEqualTo(1);
            });
            List<String> lines = EngineHarness.events(ran).stream()
                    .map(e -> e.taskId() + " " + e.tryNumber())
                    .toList();
            assertThat(lines)
                    .hasSize(20)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20)
                            .mapToObj(i -> "t%02d 1".formatted(i))
                            .toList());
            // Four slots each for twenty 0.3 s tasks: one scheduler alone could not have claimed them all at once.
            assertThat(tis.stream()
                            .map(TaskInstance::queuedByJobId)
                            .filter(Objects::nonNull)
                            .distinct()
                            .count())
                    .as("schedulers that ran tasks")
                    .isEqualTo(2);
        }
    }

    @Test
    void twoSchedulersTogetherNeverOverbookAPool() throws Exception {
        try (EngineHarness harness = EngineHarness.create(Map.of("GUST_CORE__PARALLELISM", "4"))) {
            Path events = harness.dir().resolve("events");
            harness.pool("two_slots", 2);
            String command = EngineHarness.yaml(
                    EngineHarness.record(events, "start") + "; sleep 1; " + EngineHarness.record(events, "end"));
            harness.dag(
                    "pooled.yaml",
                    "pooled:\n  schedule: null\n  tasks:\n"
                            + IntStream.rangeClosed(1, 6)
                                    .mapToObj(i -> "    t%d: {operator: bash, bash_command: %s, pool: two_slots}\n"
                                            .formatted(i, command))
                                    .collect(Collectors.joining()));
            harness.unpause("pooled");
            SchedulerEngine first = harness.startEngine();
            harness.startEngine();

            String runId = first.runCreator().trigger("pooled", Map.of(), Instant.now(), "test");
            DagRunRepository dagRuns = new DagRunRepository(harness.db().jdbc());
            DagRun run = EngineHarness.await(
                    Duration.ofSeconds(60),
                    "the run to finish",
                    () -> dagRuns.find("pooled", runId).orElseThrow(),
                    r -> r.state().isFinished());

            assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
            assertThat(EngineHarness.events(events).stream()
                            .filter(e -> e.what().equals("start")))
                    .hasSize(6);
            assertThat(EngineHarness.maxOverlap(EngineHarness.events(events))).isEqualTo(2);
        }
    }
}
