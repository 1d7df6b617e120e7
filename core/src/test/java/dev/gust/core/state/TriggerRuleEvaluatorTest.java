package dev.gust.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.dag.model.TriggerRule;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TriggerRuleEvaluatorTest {

    /**
     * Upstream states as letters: S success, F failed, U upstream_failed, K skipped, R removed,
     * N unfinished (none/scheduled/queued/running/up_for_retry/up_for_reschedule).
     */
    private static UpstreamStates upstream(String letters) {
        List<TaskState> states = new ArrayList<>();
        for (char c : letters.toCharArray()) {
            states.add(
                    switch (c) {
                        case 'S' -> TaskState.SUCCESS;
                        case 'F' -> TaskState.FAILED;
                        case 'U' -> TaskState.UPSTREAM_FAILED;
                        case 'K' -> TaskState.SKIPPED;
                        case 'R' -> TaskState.REMOVED;
                        case 'N' -> TaskState.RUNNING;
                        default -> throw new IllegalArgumentException("letter " + c);
                    });
        }
        return UpstreamStates.of(states);
    }

    @ParameterizedTest(name = "{0} with upstream [{1}] -> {2}")
    @CsvSource({
        "ALL_SUCCESS, SS, RUN",
        "ALL_SUCCESS, SN, WAIT",
        "ALL_SUCCESS, NN, WAIT",
        "ALL_SUCCESS, SF, UPSTREAM_FAILED",
        "ALL_SUCCESS, FN, UPSTREAM_FAILED",
        "ALL_SUCCESS, UN, UPSTREAM_FAILED",
        "ALL_SUCCESS, SK, SKIP",
        "ALL_SUCCESS, KN, SKIP",
        "ALL_SUCCESS, FK, UPSTREAM_FAILED",
        "ALL_SUCCESS, SR, RUN",
        "ALL_FAILED, FF, RUN",
        "ALL_FAILED, FU, RUN",
        "ALL_FAILED, UU, RUN",
        "ALL_FAILED, FN, WAIT",
        "ALL_FAILED, FS, SKIP",
        "ALL_FAILED, KN, SKIP",
        "ALL_FAILED, NN, WAIT",
        "ALL_FAILED, FR, RUN",
        "ALL_DONE, SF, RUN",
        "ALL_DONE, KU, RUN",
        "ALL_DONE, SN, WAIT",
        "ALL_DONE, RN, WAIT",
        "ALL_DONE, SR, RUN",
        "ALL_SKIPPED, KK, RUN",
        "ALL_SKIPPED, KN, WAIT",
        "ALL_SKIPPED, KS, SKIP",
        "ALL_SKIPPED, KF, SKIP",
        "ALL_SKIPPED, KU, SKIP",
        "ALL_SKIPPED, SN, SKIP",
        "ALL_SKIPPED, KR, RUN",
        "ONE_SUCCESS, SN, RUN",
        "ONE_SUCCESS, SF, RUN",
        "ONE_SUCCESS, NN, WAIT",
        "ONE_SUCCESS, FN, WAIT",
        "ONE_SUCCESS, KN, WAIT",
        "ONE_SUCCESS, FF, UPSTREAM_FAILED",
        "ONE_SUCCESS, FK, UPSTREAM_FAILED",
        "ONE_SUCCESS, UK, UPSTREAM_FAILED",
        "ONE_SUCCESS, KK, SKIP",
        "ONE_SUCCESS, KR, SKIP",
        "ONE_FAILED, FN, RUN",
        "ONE_FAILED, UN, RUN",
        "ONE_FAILED, SN, WAIT",
        "ONE_FAILED, NN, WAIT",
        "ONE_FAILED, SS, SKIP",
        "ONE_FAILED, SK, SKIP",
        "ONE_DONE, SN, RUN",
        "ONE_DONE, FN, RUN",
        "ONE_DONE, UN, WAIT",
        "ONE_DONE, KN, WAIT",
        "ONE_DONE, UU, SKIP",
        "ONE_DONE, KK, SKIP",
        "ONE_DONE, UK, SKIP",
        "NONE_FAILED, SS, RUN",
        "NONE_FAILED, SK, RUN",
        "NONE_FAILED, KK, RUN",
        "NONE_FAILED, SN, WAIT",
        "NONE_FAILED, KN, WAIT",
        "NONE_FAILED, FN, UPSTREAM_FAILED",
        "NONE_FAILED, UK, UPSTREAM_FAILED",
        "NONE_FAILED_MIN_ONE_SUCCESS, SS, RUN",
        "NONE_FAILED_MIN_ONE_SUCCESS, SK, RUN",
        "NONE_FAILED_MIN_ONE_SUCCESS, KK, SKIP",
        "NONE_FAILED_MIN_ONE_SUCCESS, KR, SKIP",
        "NONE_FAILED_MIN_ONE_SUCCESS, KN, WAIT",
        "NONE_FAILED_MIN_ONE_SUCCESS, SN, WAIT",
        "NONE_FAILED_MIN_ONE_SUCCESS, FN, UPSTREAM_FAILED",
        "NONE_FAILED_MIN_ONE_SUCCESS, UK, UPSTREAM_FAILED",
        "NONE_SKIPPED, SS, RUN",
        "NONE_SKIPPED, SF, RUN",
        "NONE_SKIPPED, FF, RUN",
        "NONE_SKIPPED, SU, RUN",
        "NONE_SKIPPED, SN, WAIT",
        "NONE_SKIPPED, KN, SKIP",
        "NONE_SKIPPED, SK, SKIP",
        "ALWAYS, NN, RUN",
        "ALWAYS, FF, RUN",
        "ALWAYS, KK, RUN",
        "ALWAYS, UN, RUN",
    })
    void truthTable(TriggerRule rule, String upstream, TriggerDecision expected) {
        assertThat(TriggerRuleEvaluator.decide(rule, upstream(upstream))).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(TriggerRule.class)
    void aTaskWithoutUpstreamAlwaysRuns(TriggerRule rule) {
        assertThat(TriggerRuleEvaluator.decide(rule, UpstreamStates.NONE)).isEqualTo(TriggerDecision.RUN);
    }

    private static final Set<TriggerRule> NEED_ALL_DONE = EnumSet.of(
            TriggerRule.ALL_SUCCESS,
            TriggerRule.ALL_FAILED,
            TriggerRule.ALL_DONE,
            TriggerRule.ALL_SKIPPED,
            TriggerRule.NONE_FAILED,
            TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS,
            TriggerRule.NONE_SKIPPED);

    private static final String LETTERS = "SFUKRN";

    /** Every multiset of up to 5 upstream states, as letter strings in LETTERS order. */
    private static List<String> allUpstreamCombinations() {
        List<String> result = new ArrayList<>();
        combine("", 0, 5, result);
        return result;
    }

    private static void combine(String prefix, int from, int left, List<String> out) {
        out.add(prefix);
        if (left == 0) {
            return;
        }
        for (int i = from; i < LETTERS.length(); i++) {
            combine(prefix + LETTERS.charAt(i), i, left - 1, out);
        }
    }

    @Test
    void rulesAboutAllUpstreamsNeverRunWhileOneIsUnfinished() {
        for (TriggerRule rule : NEED_ALL_DONE) {
            for (String combination : allUpstreamCombinations()) {
                if (combination.contains("N")) {
                    assertThat(TriggerRuleEvaluator.decide(rule, upstream(combination)))
                            .as(rule + " [" + combination + "]")
                            .isNotEqualTo(TriggerDecision.RUN);
                }
            }
        }
    }

    /** Else a run whose upstreams all finished could wait forever: a deadlock by rule. */
    @Test
    void everyRuleDecidesOnceAllUpstreamsAreDone() {
        for (TriggerRule rule : TriggerRule.values()) {
            for (String combination : allUpstreamCombinations()) {
                if (!combination.contains("N")) {
                    assertThat(TriggerRuleEvaluator.decide(rule, upstream(combination)))
                            .as(rule + " [" + combination + "]")
                            .isNotEqualTo(TriggerDecision.WAIT);
                }
            }
        }
    }

    /**
     * The scheduler acts on a decision at once, so a decision taken while some upstreams are
     * unfinished must still hold however they finish: RUN stays RUN, a settled state stays settled.
     */
    @Test
    void decisionsTakenEarlyHoldHoweverTheRestFinish() {
        for (TriggerRule rule : TriggerRule.values()) {
            for (String combination : allUpstreamCombinations()) {
                TriggerDecision early = TriggerRuleEvaluator.decide(rule, upstream(combination));
                if (early == TriggerDecision.WAIT || !combination.contains("N")) {
                    continue;
                }
                for (char finished : "SFUKR".toCharArray()) {
                    String later = combination.replaceFirst("N", String.valueOf(finished));
                    TriggerDecision decision = TriggerRuleEvaluator.decide(rule, upstream(later));
                    String what = rule + " [" + combination + "] then [" + later + "]";
                    if (early == TriggerDecision.RUN) {
                        assertThat(decision).as(what).isEqualTo(TriggerDecision.RUN);
                    } else {
                        assertThat(decision).as(what).isIn(TriggerDecision.SKIP, TriggerDecision.UPSTREAM_FAILED);
                    }
                }
            }
        }
    }

    @Test
    void waitOnlyWhileSomeUpstreamIsUnfinished() {
        for (TriggerRule rule : TriggerRule.values()) {
            for (String combination : allUpstreamCombinations()) {
                if (TriggerRuleEvaluator.decide(rule, upstream(combination)) == TriggerDecision.WAIT) {
                    assertThat(upstream(combination).unfinished())
                            .as(rule + " [" + combination + "]")
                            .isPositive();
                }
            }
        }
    }

    @Test
    void upstreamStatesCountEveryFinishedStateAsDone() {
        UpstreamStates states = UpstreamStates.of(List.of(
                TaskState.SUCCESS,
                TaskState.FAILED,
                TaskState.UPSTREAM_FAILED,
                TaskState.SKIPPED,
                TaskState.REMOVED,
                TaskState.RUNNING,
                TaskState.UP_FOR_RETRY,
                TaskState.UP_FOR_RESCHEDULE,
                TaskState.NONE,
                TaskState.SCHEDULED,
                TaskState.QUEUED));
        assertThat(states).isEqualTo(new UpstreamStates(11, 1, 1, 1, 1, 1));
        assertThat(states.done()).isEqualTo(5);
        assertThat(states.unfinished()).isEqualTo(6);
    }

    @Test
    void upstreamStatesRejectImpossibleCounts() {
        assertThatThrownBy(() -> new UpstreamStates(1, 1, 1, 0, 0, 0))
                .hasMessageContaining("more finished upstream task instances than upstream task instances");
        assertThatThrownBy(() -> new UpstreamStates(1, -1, 0, 0, 0, 0)).hasMessageContaining("negative");
    }

    @Test
    void settlingDecisionsNameTheirState() {
        assertThat(TriggerDecision.SKIP.settledState()).contains(TaskState.SKIPPED);
        assertThat(TriggerDecision.UPSTREAM_FAILED.settledState()).contains(TaskState.UPSTREAM_FAILED);
        assertThat(TriggerDecision.RUN.settledState()).isEmpty();
        assertThat(TriggerDecision.WAIT.settledState()).isEmpty();
    }
}
