package dev.gust.scheduler.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.runs.TaskInstanceKey;
import org.junit.jupiter.api.Test;

/** The two things every scheduler must compute alike for a try: its startedBy and its worker command. */
class EcsTaskLauncherTest {

    private final TaskInstanceKey key = TaskInstanceKey.of(
            "a_dag_with_a_rather_long_name", "scheduled__2024-01-01T00:00:00+00:00", "a_task_with_a_long_name_too");

    @Test
    void startedByIsStableWithinEcsLimitsAndDiffersPerTry() {
        String first = EcsTaskLauncher.startedBy(key, 1);
        assertThat(first)
                .isEqualTo(EcsTaskLauncher.startedBy(key, 1))
                .hasSizeLessThanOrEqualTo(36)
                .matches("[A-Za-z0-9_/-]+");
        assertThat(EcsTaskLauncher.startedBy(key, 2)).isNotEqualTo(first);
        assertThat(EcsTaskLauncher.startedBy(
                        TaskInstanceKey.of(
                                "a_dag_with_a_rather_long_name",
                                "scheduled__2024-01-01T00:00:00+00:00",
                                "another_task"),
                        1))
                .isNotEqualTo(first);
    }

    @Test
    void theWorkerCommandRunsExactlyThatTry() {
        assertThat(EcsTaskLauncher.workerCommand(key, 3))
                .containsExactly(
                        "tasks",
                        "run",
                        "a_dag_with_a_rather_long_name",
                        "a_task_with_a_long_name_too",
                        "scheduled__2024-01-01T00:00:00+00:00",
                        "--try",
                        "3");
    }

    @Test
    void aMappedInstanceHasItsOwnStartedByAndItsWorkerRunsThatInstance() {
        TaskInstanceKey second = new TaskInstanceKey(key.dagId(), key.runId(), key.taskId(), 1);
        TaskInstanceKey third = new TaskInstanceKey(key.dagId(), key.runId(), key.taskId(), 2);
        assertThat(EcsTaskLauncher.startedBy(second, 1))
                .isNotEqualTo(EcsTaskLauncher.startedBy(third, 1))
                .isNotEqualTo(EcsTaskLauncher.startedBy(key, 1));
        assertThat(EcsTaskLauncher.workerCommand(second, 1)).endsWith("--try", "1", "--map-index", "1");
    }
}
