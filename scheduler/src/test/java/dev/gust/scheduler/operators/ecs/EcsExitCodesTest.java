package dev.gust.scheduler.operators.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.scheduler.operators.OperatorOutcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exit codes moto cannot produce (it reports 0): how a stopped ECS task ends the try. */
class EcsExitCodesTest {

    private static OperatorOutcome outcome(Set<Integer> skip, EcsExitCodes.StoppedContainer... containers) {
        return EcsExitCodes.outcome("arn:task/1", "Essential container in task exited", List.of(containers), skip);
    }

    @Test
    void zeroSucceedsNonZeroFailsWithTheCodeAndAListedCodeSkips() {
        assertThat(outcome(Set.of(), new EcsExitCodes.StoppedContainer("main", 0, null)))
                .isEqualTo(OperatorOutcome.success());
        assertThat(outcome(Set.of(), new EcsExitCodes.StoppedContainer("main", 3, null)))
                .isInstanceOfSatisfying(
                        OperatorOutcome.Failed.class,
                        f -> assertThat(f.reason())
                                .contains("exited with 3")
                                .contains("Essential container in task exited"));
        assertThat(outcome(Set.of(3, 99), new EcsExitCodes.StoppedContainer("main", 3, null)))
                .isInstanceOf(OperatorOutcome.Skipped.class);
    }

    @Test
    void aContainerThatNeverRanFailsWithItsReason() {
        assertThat(outcome(
                        Set.of(0),
                        new EcsExitCodes.StoppedContainer("main", null, "CannotPullContainerError: no such image")))
                .isInstanceOfSatisfying(
                        OperatorOutcome.Failed.class,
                        f -> assertThat(f.reason()).contains("did not run").contains("CannotPullContainerError"));
        assertThat(outcome(
                        Set.of(),
                        new EcsExitCodes.StoppedContainer("sidecar", 0, null),
                        new EcsExitCodes.StoppedContainer("main", 137, "OutOfMemoryError")))
                .isInstanceOfSatisfying(
                        OperatorOutcome.Failed.class,
                        f -> assertThat(f.reason()).contains("main").contains("137"));
    }
}
