package dev.gust.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.TriggerRule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskDependenciesTest {

    private static final Instant NOW = Instant.parse("2024-01-01T12:00:00Z");

    private static TaskDependencies.Facts facts(
            TaskState state,
            DagRunState run,
            boolean paused,
            UpstreamStates upstream,
            Integer openSlots,
            int inFlight) {
        return new TaskDependencies.Facts(
                "etl",
                state,
                run,
                paused,
                TriggerRule.ALL_SUCCESS,
                upstream,
                List.of("extract"),
                NOW.plusSeconds(60),
                NOW,
                "default_pool",
                openSlots,
                1,
                16,
                inFlight,
                null);
    }

    private static List<String> names(TaskDependencies.Facts facts) {
        return TaskDependencies.of(facts).stream()
                .map(TaskDependencies.Failed::name)
                .toList();
    }

    @Test
    void aScheduledTaskOfARunningRunWithItsUpstreamDoneHasNoReasons() {
        UpstreamStates done = UpstreamStates.of(List.of(TaskState.SUCCESS));
        assertThat(TaskDependencies.of(facts(TaskState.SCHEDULED, DagRunState.RUNNING, false, done, 128, 0)))
                .isEmpty();
    }

    @Test
    void eachBlockingRuleIsNamedAsAirflowNamesItSortedByName() {
        UpstreamStates waiting = UpstreamStates.of(List.of(TaskState.RUNNING));
        assertThat(names(facts(TaskState.NONE, DagRunState.QUEUED, true, waiting, 0, 16)))
                .containsExactly(
                        "Dag Not Paused",
                        "Dagrun Running",
                        "Pool Slots Available",
                        "Task Instance Slots Available",
                        "Task Instance State",
                        "Trigger Rule");
        List<TaskDependencies.Failed> failed =
                TaskDependencies.of(facts(TaskState.SCHEDULED, DagRunState.RUNNING, false, waiting, 128, 0));
        assertThat(failed)
                .singleElement()
                .satisfies(f -> assertThat(f.reason())
                        .contains("'all_success'")
                        .contains("1 upstream task(s) have not finished")
                        .contains("[extract]"));
    }

    @Test
    void aRetryWaitsForItsRetryTimeAndAMissingPoolIsNamed() {
        UpstreamStates done = UpstreamStates.of(List.of(TaskState.SUCCESS));
        List<TaskDependencies.Failed> failed =
                TaskDependencies.of(facts(TaskState.UP_FOR_RETRY, DagRunState.RUNNING, false, done, null, 0));
        assertThat(failed)
                .extracting(TaskDependencies.Failed::name)
                .contains("Not In Retry Period", "Pool Slots Available");
        assertThat(failed.toString())
                .contains("non-existent pool 'default_pool'")
                .contains("2024-01-01T12:01:00Z");
    }

    @Test
    void runningAndFinishedTaskInstancesAreNotBlocked() {
        UpstreamStates waiting = UpstreamStates.of(List.of(TaskState.RUNNING));
        for (TaskState state : List.of(TaskState.QUEUED, TaskState.RUNNING, TaskState.SUCCESS, TaskState.FAILED)) {
            assertThat(TaskDependencies.of(facts(state, DagRunState.QUEUED, true, waiting, 0, 16)))
                    .as(state.dbName())
                    .isEmpty();
        }
    }
}
