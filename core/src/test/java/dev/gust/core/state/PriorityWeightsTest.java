package dev.gust.core.state;

import static dev.gust.core.state.Tasks.dag;
import static dev.gust.core.state.Tasks.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.WeightRule;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriorityWeightsTest {

    @Test
    void chain() {
        // a(1) -> b(2) -> c(4)
        assertThat(PriorityWeights.compute(dag(
                        weighted("a", 1, WeightRule.DOWNSTREAM),
                        weighted("b", 2, WeightRule.DOWNSTREAM, "a"),
                        weighted("c", 4, WeightRule.DOWNSTREAM, "b"))))
                .isEqualTo(Map.of("a", 7, "b", 6, "c", 4));
        assertThat(PriorityWeights.compute(dag(
                        weighted("a", 1, WeightRule.UPSTREAM),
                        weighted("b", 2, WeightRule.UPSTREAM, "a"),
                        weighted("c", 4, WeightRule.UPSTREAM, "b"))))
                .isEqualTo(Map.of("a", 1, "b", 3, "c", 7));
        assertThat(PriorityWeights.compute(dag(
                        weighted("a", 1, WeightRule.ABSOLUTE),
                        weighted("b", 2, WeightRule.ABSOLUTE, "a"),
                        weighted("c", 4, WeightRule.ABSOLUTE, "b"))))
                .isEqualTo(Map.of("a", 1, "b", 2, "c", 4));
    }

    @Test
    void diamondCountsTheSharedTaskOnce() {
        //      +-> b(2) -+
        // a(1) +         +-> d(8)
        //      +-> c(4) -+
        Map<String, Integer> downstream = PriorityWeights.compute(dag(
                weighted("a", 1, WeightRule.DOWNSTREAM),
                weighted("b", 2, WeightRule.DOWNSTREAM, "a"),
                weighted("c", 4, WeightRule.DOWNSTREAM, "a"),
                weighted("d", 8, WeightRule.DOWNSTREAM, "b", "c")));
        assertThat(downstream).isEqualTo(Map.of("a", 15, "b", 10, "c", 12, "d", 8));

        Map<String, Integer> upstream = PriorityWeights.compute(dag(
                weighted("a", 1, WeightRule.UPSTREAM),
                weighted("b", 2, WeightRule.UPSTREAM, "a"),
                weighted("c", 4, WeightRule.UPSTREAM, "a"),
                weighted("d", 8, WeightRule.UPSTREAM, "b", "c")));
        assertThat(upstream).isEqualTo(Map.of("a", 1, "b", 3, "c", 5, "d", 15));
    }

    @Test
    void eachTaskUsesItsOwnRuleOverTheOthersOwnWeights() {
        // a(1, absolute) -> b(2, upstream) -> c(4, downstream)
        assertThat(PriorityWeights.compute(dag(
                        weighted("a", 1, WeightRule.ABSOLUTE),
                        weighted("b", 2, WeightRule.UPSTREAM, "a"),
                        weighted("c", 4, WeightRule.DOWNSTREAM, "b"))))
                .isEqualTo(Map.of("a", 1, "b", 3, "c", 4));
    }

    @Test
    void sumsAreClampedToTheIntRange() {
        assertThat(PriorityWeights.compute(dag(
                                weighted("a", Integer.MAX_VALUE, WeightRule.DOWNSTREAM),
                                weighted("b", Integer.MAX_VALUE, WeightRule.DOWNSTREAM, "a")))
                        .get("a"))
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(PriorityWeights.compute(dag(
                                weighted("a", Integer.MIN_VALUE, WeightRule.DOWNSTREAM),
                                weighted("b", -5, WeightRule.DOWNSTREAM, "a")))
                        .get("a"))
                .isEqualTo(Integer.MIN_VALUE);
    }
}
