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
        assertThat(chainWeights(WeightRule.DOWNSTREAM)).isEqualTo(Map.of("a", 7, "b", 6, "c", 4));
        assertThat(chainWeights(WeightRule.UPSTREAM)).isEqualTo(Map.of("a", 1, "b", 3, "c", 7));
        assertThat(chainWeights(WeightRule.ABSOLUTE)).isEqualTo(Map.of("a", 1, "b", 2, "c", 4));
    }

    @Test
    void diamondCountsTheSharedTaskOnce() {
        //      +-> b(2) -+
        // a(1) +         +-> d(8)
        //      +-> c(4) -+
        assertThat(diamondWeights(WeightRule.DOWNSTREAM)).isEqualTo(Map.of("a", 15, "b", 10, "c", 12, "d", 8));
        assertThat(diamondWeights(WeightRule.UPSTREAM)).isEqualTo(Map.of("a", 1, "b", 3, "c", 5, "d", 15));
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

    /** a(1) -> b(2) -> c(4), every task with {@code rule}. */
    private static Map<String, Integer> chainWeights(WeightRule rule) {
        return PriorityWeights.compute(
                dag(weighted("a", 1, rule), weighted("b", 2, rule, "a"), weighted("c", 4, rule, "b")));
    }

    /** a(1) -> b(2) and c(4) -> d(8), every task with {@code rule}. */
    private static Map<String, Integer> diamondWeights(WeightRule rule) {
        return PriorityWeights.compute(dag(
                weighted("a", 1, rule),
                weighted("b", 2, rule, "a"),
                weighted("c", 4, rule, "a"),
                weighted("d", 8, rule, "b", "c")));
    }
}
