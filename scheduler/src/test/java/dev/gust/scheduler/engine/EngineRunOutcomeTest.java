package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run's final state follows its leaves, as in Airflow: all success is success; a failed leaf
 * fails the run; a failure in the middle that an {@code all_done} leaf absorbs does not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineRunOutcomeTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private DagRun runChain(String dagId, String middle, String leaf, String leafRule) throws Exception {
        harness.dag(dagId + ".yaml", """
                %s:
                  schedule: null
                  tasks:
                    first: {operator: bash, bash_command: 'exit 0'}
                    middle: {operator: bash, bash_command: '%s', dependencies: [first]}
                    leaf: {operator: bash, bash_command: '%s', trigger_rule: %s, dependencies: [middle]}
                """.formatted(dagId, middle, leaf, leafRule));
        return harness.run(dagId);
    }

    @Test
    void allSuccessIsASuccessfulRun() throws Exception {
        DagRun run = runChain("all_good", "exit 0", "exit 0", "all_success");
        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.reload(run).state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.states(run).values()).containsOnly(TaskState.SUCCESS);
    }

    @Test
    void aFailedLeafFailsTheRun() throws Exception {
        DagRun run = runChain("leaf_fails", "exit 0", "exit 1", "all_success");
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
        assertThat(harness.states(run))
                .isEqualTo(Map.of("first", TaskState.SUCCESS, "middle", TaskState.SUCCESS, "leaf", TaskState.FAILED));
    }

    @Test
    void anUpstreamFailedLeafFailsTheRun() throws Exception {
        DagRun run = runChain("middle_fails", "exit 1", "exit 0", "all_success");
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
        assertThat(harness.states(run)).containsEntry("leaf", TaskState.UPSTREAM_FAILED);
    }

    @Test
    void aMiddleFailureAbsorbedByAnAllDoneLeafEndsSuccess() throws Exception {
        DagRun run = runChain("absorbed", "exit 1", "exit 0", "all_done");
        assertThat(harness.states(run))
                .containsEntry("middle", TaskState.FAILED)
                .containsEntry("leaf", TaskState.SUCCESS);
        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
    }

    @Test
    void aSkippedLeafDoesNotFailTheRun() throws Exception {
        DagRun run = runChain("skipped_leaf", "exit 0", "exit 99", "all_success");
        assertThat(harness.states(run)).containsEntry("leaf", TaskState.SKIPPED);
        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
    }
}
