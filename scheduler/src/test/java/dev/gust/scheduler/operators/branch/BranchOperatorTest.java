package dev.gust.scheduler.operators.branch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class BranchOperatorTest {

    private final BranchOperator branch = new BranchOperator();

    @Test
    void followsTheRenderedFollowArgument() throws Exception {
        assertThat(branch.execute(FakeTaskRunContext.of("follow", "full").downstream("full", "incremental")))
                .isEqualTo(new OperatorOutcome.FollowBranches(List.of("full")));
        assertThat(branch.execute(
                        FakeTaskRunContext.of("follow", List.of("a", "b")).downstream("a", "b", "c")))
                .isEqualTo(new OperatorOutcome.FollowBranches(List.of("a", "b")));
    }

    @Test
    void followsTheLastLineOfABashCommand() throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of("bash_command", "echo deciding; echo 'a, c'")
                .downstream("a", "b", "c");
        assertThat(branch.execute(context)).isEqualTo(new OperatorOutcome.FollowBranches(List.of("a", "c")));
        assertThat(context.logLines).contains("deciding");
    }

    @Test
    void aFailingBranchCommandFails() throws Exception {
        assertThat(branch.execute(
                        FakeTaskRunContext.of("bash_command", "echo a; exit 2").downstream("a")))
                .isInstanceOf(OperatorOutcome.Failed.class);
    }

    @Test
    void anIdThatIsNotDownstreamFailsListingTheValidOnes() throws Exception {
        OperatorOutcome outcome =
                branch.execute(FakeTaskRunContext.of("follow", "fulll").downstream("full", "incremental"));
        assertThat(outcome)
                .isEqualTo(new OperatorOutcome.Failed("Branch chose fulll, which is not a direct downstream "
                        + "task of 'the_task'; valid task ids: full, incremental"));
    }
}
