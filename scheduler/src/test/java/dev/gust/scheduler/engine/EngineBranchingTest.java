package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code branch} task whose {@code follow} template chooses one of two downstream paths: the
 * path not taken is skipped all the way down (and never runs), and a join with
 * {@code none_failed_min_one_success} runs after the path taken.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineBranchingTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private Path ran;

    @BeforeEach
    void setUp() {
        ran = harness.dir().resolve("ran");
        String record = EngineHarness.yaml(EngineHarness.record(ran, "ran"));
        harness.dag("branching.yaml", """
                branching:
                  schedule: null
                  params:
                    side: left
                  tasks:
                    start: {operator: empty}
                    choose:
                      operator: branch
                      follow: "{{ 'left' if params.side == 'left' else 'right' }}"
                      dependencies: [start]
                    left: {operator: bash, bash_command: %1$s, dependencies: [choose]}
                    left_after: {operator: bash, bash_command: %1$s, dependencies: [left]}
                    right: {operator: bash, bash_command: %1$s, dependencies: [choose]}
                    right_after: {operator: bash, bash_command: %1$s, dependencies: [right]}
                    join:
                      operator: bash
                      bash_command: %1$s
                      trigger_rule: none_failed_min_one_success
                      dependencies: [left_after, right_after]
                """.formatted(record));
    }

    @Test
    void theDefaultParamFollowsTheLeftBranchAndSkipsTheRight() throws Exception {
        DagRun run = harness.run("branching");

        assertThat(harness.states(run))
                .isEqualTo(Map.of(
                        "start",
                        TaskState.SUCCESS,
                        "choose",
                        TaskState.SUCCESS,
                        "left",
                        TaskState.SUCCESS,
                        "left_after",
                        TaskState.SUCCESS,
                        "right",
                        TaskState.SKIPPED,
                        "right_after",
                        TaskState.SKIPPED,
                        "join",
                        TaskState.SUCCESS));
        assertThat(EngineHarness.events(ran).stream().map(EngineHarness.Event::taskId))
                .containsExactlyInAnyOrder("left", "left_after", "join");
        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
    }

    @Test
    void theRunsConfChoosesTheRightBranch() throws Exception {
        DagRun run = harness.run("branching", Map.of("side", "right"), Instant.parse("2024-03-01T00:00:00Z"));

        assertThat(harness.states(run))
                .isEqualTo(Map.of(
                        "start",
                        TaskState.SUCCESS,
                        "choose",
                        TaskState.SUCCESS,
                        "left",
                        TaskState.SKIPPED,
                        "left_after",
                        TaskState.SKIPPED,
                        "right",
                        TaskState.SUCCESS,
                        "right_after",
                        TaskState.SUCCESS,
                        "join",
                        TaskState.SUCCESS));
        List<String> order = EngineHarness.events(ran).stream()
                .map(EngineHarness.Event::taskId)
                .toList();
        assertThat(order).containsExactly("right", "right_after", "join");
        assertThat(harness.log(run, "choose", 1)).contains("right");
    }
}
