package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.runs.DagRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With one task at a time (parallelism 1), independent tasks run highest {@code priority_weight}
 * first; with the default {@code downstream} weight rule a task's weight includes its
 * downstream tasks'.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnginePriorityTest {

    private EngineHarness harness;
    private Path events;

    @BeforeEach
    void setUp() {
        harness = EngineHarness.create(Map.of("GUST_CORE__PARALLELISM", "1"));
        events = harness.dir().resolve("events");
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void independentTasksRunInDescendingPriority() throws Exception {
        String record = EngineHarness.yaml(EngineHarness.record(events, "start"));
        harness.dag("priorities.yaml", """
                priorities:
                  schedule: null
                  tasks:
                    w3: {operator: bash, bash_command: %1$s, priority_weight: 3}
                    w10: {operator: bash, bash_command: %1$s, priority_weight: 10}
                    w1: {operator: bash, bash_command: %1$s, priority_weight: 1}
                    w7: {operator: bash, bash_command: %1$s, priority_weight: 7}
                    w5: {operator: bash, bash_command: %1$s, priority_weight: 5}
                    w2: {operator: bash, bash_command: %1$s, priority_weight: 2}
                """.formatted(record));
        DagRun run = harness.run("priorities");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(EngineHarness.events(events).stream().map(EngineHarness.Event::taskId))
                .containsExactly("w10", "w7", "w5", "w3", "w2", "w1");
    }

    @Test
    void aTaskWithHeavyDownstreamRunsBeforeAHeavierLoneTask() throws Exception {
        String record = EngineHarness.yaml(EngineHarness.record(events, "start"));
        harness.dag("downstream_weights.yaml", """
                downstream_weights:
                  schedule: null
                  tasks:
                    lone: {operator: bash, bash_command: %1$s, priority_weight: 5}
                    head: {operator: bash, bash_command: %1$s, priority_weight: 1}
                    tail_a: {operator: bash, bash_command: %1$s, priority_weight: 3, dependencies: [head]}
                    tail_b: {operator: bash, bash_command: %1$s, priority_weight: 2, dependencies: [head]}
                """.formatted(record));
        DagRun run = harness.run("downstream_weights");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        // head weighs 1 + 3 + 2 = 6 > 5; after it, tail_a (3) and tail_b (2) wait behind lone (5).
        assertThat(EngineHarness.events(events).stream().map(EngineHarness.Event::taskId))
                .containsExactly("head", "lone", "tail_a", "tail_b");
    }
}
