package dev.gust.core.state;

import static dev.gust.core.state.TaskState.FAILED;
import static dev.gust.core.state.TaskState.NONE;
import static dev.gust.core.state.TaskState.REMOVED;
import static dev.gust.core.state.TaskState.RUNNING;
import static dev.gust.core.state.TaskState.SKIPPED;
import static dev.gust.core.state.TaskState.SUCCESS;
import static dev.gust.core.state.TaskState.UPSTREAM_FAILED;
import static dev.gust.core.state.TaskState.UP_FOR_RETRY;
import static dev.gust.core.state.Tasks.dag;
import static dev.gust.core.state.Tasks.dependingOnPast;
import static dev.gust.core.state.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TriggerRule;
import dev.gust.core.state.DagRunOutcome.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagRunOutcomeTest {

    // extract -> transform -> load, and extract -> cleanup (all_done): leaves are load and cleanup.
    private final Dag etl = dag(
            task("extract"),
            task("transform", "extract"),
            task("load", "transform"),
            task("cleanup", TriggerRule.ALL_DONE, "extract"));

    private DagRunOutcome outcome(Map<String, List<TaskState>> states) {
        return DagRunOutcome.of(etl, states);
    }

    private static Map<String, List<TaskState>> states(
            TaskState extract, TaskState transform, TaskState load, TaskState cleanup) {
        return Map.of(
                "extract",
                List.of(extract),
                "transform",
                List.of(transform),
                "load",
                List.of(load),
                "cleanup",
                List.of(cleanup));
    }

    @Test
    void succeedsWhenEverythingIsFinishedAndNoLeafFailed() {
        assertThat(outcome(states(SUCCESS, SUCCESS, SUCCESS, SUCCESS)))
                .isEqualTo(new DagRunOutcome(DagRunState.SUCCESS, Reason.SUCCESS));
        assertThat(outcome(states(SUCCESS, SKIPPED, SKIPPED, SUCCESS)).state()).isEqualTo(DagRunState.SUCCESS);
    }

    @Test
    void onlyLeavesDecideFailure() {
        // The failure of a task that is not a leaf is absorbed when its leaves end well: Airflow does the same.
        Dag withAllDoneLeaf = dag(task("work"), task("report", TriggerRule.ALL_DONE, "work"));
        assertThat(DagRunOutcome.of(withAllDoneLeaf, Map.of("work", List.of(FAILED), "report", List.of(SUCCESS))))
                .isEqualTo(new DagRunOutcome(DagRunState.SUCCESS, Reason.SUCCESS));
    }

    @Test
    void failsWhenEverythingIsFinishedAndALeafFailedOrIsUpstreamFailed() {
        assertThat(outcome(states(SUCCESS, SUCCESS, FAILED, SUCCESS)))
                .isEqualTo(new DagRunOutcome(DagRunState.FAILED, Reason.TASK_FAILURE));
        assertThat(outcome(states(SUCCESS, FAILED, UPSTREAM_FAILED, SUCCESS)))
                .isEqualTo(new DagRunOutcome(DagRunState.FAILED, Reason.TASK_FAILURE));
        assertThat(outcome(states(FAILED, UPSTREAM_FAILED, UPSTREAM_FAILED, SUCCESS))
                        .reason())
                .isEqualTo(Reason.TASK_FAILURE);
    }

    @Test
    void keepsRunningWhileAnyTaskIsUnfinishedEvenIfALeafAlreadyFailed() {
        assertThat(outcome(states(SUCCESS, SUCCESS, FAILED, RUNNING)))
                .isEqualTo(new DagRunOutcome(DagRunState.RUNNING, Reason.UNFINISHED_TASKS));
        assertThat(outcome(states(SUCCESS, UP_FOR_RETRY, NONE, SUCCESS)).state())
                .isEqualTo(DagRunState.RUNNING);
        assertThat(outcome(states(NONE, NONE, NONE, NONE)).state()).isEqualTo(DagRunState.RUNNING);
    }

    @Test
    void removedLeafInstancesDoNotCount() {
        assertThat(outcome(states(SUCCESS, SUCCESS, REMOVED, SUCCESS)).state()).isEqualTo(DagRunState.SUCCESS);
    }

    @Test
    void everyInstanceOfAMappedLeafCounts() {
        Map<String, List<TaskState>> mapped = Map.of(
                "extract",
                List.of(SUCCESS),
                "transform",
                List.of(SUCCESS),
                "load",
                List.of(SUCCESS, FAILED, SUCCESS),
                "cleanup",
                List.of(SUCCESS));
        assertThat(outcome(mapped).state()).isEqualTo(DagRunState.FAILED);
        Map<String, List<TaskState>> oneStillRunning = Map.of(
                "extract",
                List.of(SUCCESS),
                "transform",
                List.of(SUCCESS),
                "load",
                List.of(SUCCESS, RUNNING),
                "cleanup",
                List.of(SUCCESS));
        assertThat(outcome(oneStillRunning).state()).isEqualTo(DagRunState.RUNNING);
    }

    @Test
    void aTaskWithoutInstancesIsUnfinishedAndInstancesOfUnknownTasksAreIgnored() {
        assertThat(outcome(Map.of("extract", List.of(SUCCESS), "transform", List.of(SUCCESS), "load", List.of(SUCCESS)))
                        .state())
                .isEqualTo(DagRunState.RUNNING);
        assertThat(outcome(Map.of(
                                "extract",
                                List.of(SUCCESS),
                                "transform",
                                List.of(SUCCESS),
                                "load",
                                List.of(SUCCESS),
                                "cleanup",
                                List.of(SUCCESS),
                                "gone",
                                List.of(FAILED)))
                        .state())
                .isEqualTo(DagRunState.SUCCESS);
    }

    @Test
    void anEmptyDagSucceeds() {
        assertThat(DagRunOutcome.of(dag(), Map.of()).state()).isEqualTo(DagRunState.SUCCESS);
    }

    /**
     * In an acyclic DAG a deadlock cannot happen (every rule decides once its upstreams are done),
     * so this guards against a cycle that slipped past validation: the run fails instead of hanging.
     */
    @Test
    void failsAsDeadlockedWhenNoUnfinishedTaskCanEverMove() {
        Dag cyclic = dag(task("a", "b"), task("b", "a"));
        assertThat(DagRunOutcome.of(cyclic, Map.of("a", List.of(NONE), "b", List.of(NONE))))
                .isEqualTo(new DagRunOutcome(DagRunState.FAILED, Reason.ALL_TASKS_DEADLOCKED));
        assertThat(Reason.ALL_TASKS_DEADLOCKED.callbackName()).isEqualTo("all_tasks_deadlocked");
    }

    @Test
    void isNeverDeadlockedWhileATaskDependsOnThePastOrIsInFlight() {
        Dag cyclicWithPast = dag(dependingOnPast("a", "b"), task("b", "a"));
        assertThat(DagRunOutcome.of(cyclicWithPast, Map.of("a", List.of(NONE), "b", List.of(NONE)))
                        .state())
                .isEqualTo(DagRunState.RUNNING);
        Dag cyclic = dag(task("a", "b"), task("b", "a"));
        assertThat(DagRunOutcome.of(cyclic, Map.of("a", List.of(RUNNING), "b", List.of(NONE)))
                        .state())
                .isEqualTo(DagRunState.RUNNING);
    }
}
