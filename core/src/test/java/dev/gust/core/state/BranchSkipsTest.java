package dev.gust.core.state;

import static dev.gust.core.state.Tasks.dag;
import static dev.gust.core.state.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TriggerRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class BranchSkipsTest {

    //          +-> a -> a2 -+
    // branch --+-> b -------+-> join (none_failed_min_one_success)
    //          +-> c
    private final Dag dag = dag(
            task("branch"),
            task("a", "branch"),
            task("a2", "a"),
            task("b", "branch"),
            task("c", "branch"),
            task("join", TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, "a2", "b"));

    @Test
    void skipsTheDirectDownstreamTasksNotFollowed() {
        assertThat(BranchSkips.toSkip(dag, "branch", List.of("a"))).containsExactly("b", "c");
        assertThat(BranchSkips.toSkip(dag, "branch", List.of("b", "c"))).containsExactly("a");
        assertThat(BranchSkips.toSkip(dag, "branch", List.of("a", "b", "c"))).isEmpty();
    }

    @Test
    void followingNothingSkipsEveryDirectDownstreamTask() {
        assertThat(BranchSkips.toSkip(dag, "branch", List.of())).containsExactly("a", "b", "c");
    }

    @Test
    void aJoinThatIsAlsoDirectlyDownstreamOfTheBranchIsNotSkippedWhenAFollowedPathLeadsToIt() {
        // branch -> t1 -> join, and branch -> join (the empty branch).
        Dag withEmptyBranch = dag(
                task("branch"),
                task("t1", "branch"),
                task("join", TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, "branch", "t1"));
        assertThat(BranchSkips.toSkip(withEmptyBranch, "branch", List.of("t1"))).isEmpty();
        assertThat(BranchSkips.toSkip(withEmptyBranch, "branch", List.of("join")))
                .containsExactly("t1");
    }

    @Test
    void followedIdsMustBeDirectDownstreamTasks() {
        assertThatThrownBy(() -> BranchSkips.toSkip(dag, "branch", List.of("a", "a2", "nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("branch task 'branch' of DAG 'd' chose 'a2', 'nope', not directly downstream of it; "
                        + "it may choose among: 'a', 'b', 'c'");
    }

    @Test
    void theBranchTaskMustExist() {
        assertThatThrownBy(() -> BranchSkips.toSkip(dag, "missing", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DAG 'd' has no task 'missing'");
    }
}
