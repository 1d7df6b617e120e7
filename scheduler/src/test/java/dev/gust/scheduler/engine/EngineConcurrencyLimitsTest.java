package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pools and {@code max_active_tasks} bound how many tasks really run at once, measured from the
 * start and end times the commands themselves record, with parallelism high enough that only
 * the limit under test can hold them back: the overlap reaches the limit and never exceeds it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineConcurrencyLimitsTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private final Path events = harness.dir().resolve("events");

    /**
     * Runs a DAG of six independent one-second tasks, with {@code dagSetting} (a DAG setting line,
     * or none) and each task with {@code taskSettings}; checks that all six ran once and succeeded,
     * and answers how many of them ran at once at the most.
     */
    private int maxOverlapOfSixTasks(String dagSetting, String taskSettings) throws InterruptedException {
        String command = EngineHarness.yaml(
                EngineHarness.record(events, "start") + "; sleep 1; " + EngineHarness.record(events, "end"));
        String tasks = IntStream.rangeClosed(1, 6)
                .mapToObj(i -> "    t" + i + ": {operator: bash, bash_command: " + command + taskSettings + "}\n")
                .collect(Collectors.joining());
        harness.dag(
                "six.yaml",
                "six:\n  schedule: null\n" + (dagSetting.isEmpty() ? "" : "  " + dagSetting + "\n") + "  tasks:\n"
                        + tasks);
        DagRun run = harness.run("six");

        assertAllSixRanOnce(run);
        return EngineHarness.maxOverlap(EngineHarness.events(events));
    }

    @Test
    void aPoolOfTwoSlotsRunsTwoTasksAtATime() throws Exception {
        harness.pool("two_slots", 2);
        assertThat(maxOverlapOfSixTasks("max_active_tasks: 16", ", pool: two_slots"))
                .isEqualTo(2);
    }

    @Test
    void aTaskTakingTwoSlotsOfAThreeSlotPoolRunsAloneOrBesideAOneSlotTask() throws Exception {
        harness.pool("three_slots", 3);
        assertThat(maxOverlapOfSixTasks("", ", pool: three_slots, pool_slots: 2"))
                .isEqualTo(1);
    }

    @Test
    void maxActiveTasksBoundsTheTasksOfOneDagRunningAtOnce() throws Exception {
        assertThat(maxOverlapOfSixTasks("max_active_tasks: 2", "")).isEqualTo(2);
    }

    @Test
    void withoutALimitTheSameTasksOverlapBeyondTwo() throws Exception {
        // The control: the measurement sees more than two at once when nothing limits them.
        assertThat(maxOverlapOfSixTasks("", "")).isGreaterThan(2);
    }

    private void assertAllSixRanOnce(DagRun run) {
        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.states(run).values()).hasSize(6).allMatch(s -> s == TaskState.SUCCESS);
        List<String> started = EngineHarness.events(events).stream()
                .filter(e -> e.what().equals("start"))
                .map(EngineHarness.Event::taskId)
                .toList();
        assertThat(started).containsExactlyInAnyOrder("t1", "t2", "t3", "t4", "t5", "t6");
    }
}
