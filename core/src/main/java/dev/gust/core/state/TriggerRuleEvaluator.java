package dev.gust.core.state;

import static dev.gust.core.state.TriggerDecision.RUN;
import static dev.gust.core.state.TriggerDecision.SKIP;
import static dev.gust.core.state.TriggerDecision.UPSTREAM_FAILED;
import static dev.gust.core.state.TriggerDecision.WAIT;

import dev.gust.core.dag.model.TriggerRule;

/**
 * Airflow 2's trigger rule evaluation ({@code TriggerRuleDep._evaluate_trigger_rule}, as the
 * scheduler runs it, i.e. with {@code flag_upstream_failed}): from a task's rule and the states
 * of its direct upstream task instances, whether it runs, waits, or is settled as skipped or
 * upstream_failed. A settling decision may come before every upstream is done (one failed
 * upstream is enough to make an {@code all_success} task upstream_failed); a RUN for a rule
 * about all upstreams comes only when all are done.
 *
 * <p>Removed upstream instances count neither for nor against any rule: Airflow does so for
 * mapped task instances, and for the rest waits on them forever (the run then ends as
 * deadlocked). Gust ignores them everywhere, since a removed instance will never change.
 */
public final class TriggerRuleEvaluator {

    private TriggerRuleEvaluator() {}

    public static TriggerDecision decide(TriggerRule rule, UpstreamStates up) {
        if (up.total() == 0 || rule == TriggerRule.ALWAYS) {
            return RUN;
        }
        int relevant = up.total() - up.removed();
        int done = up.done() - up.removed();
        boolean allDone = done >= relevant;
        int success = up.success();
        int skipped = up.skipped();
        int failures = up.failed() + up.upstreamFailed();
        return switch (rule) {
            case ALL_SUCCESS -> failures > 0 ? UPSTREAM_FAILED : skipped > 0 ? SKIP : success == relevant ? RUN : WAIT;
            case ALL_FAILED -> success > 0 || skipped > 0 ? SKIP : failures == relevant ? RUN : WAIT;
            case ALL_DONE -> allDone ? RUN : WAIT;
            case ALL_SKIPPED -> success > 0 || failures > 0 ? SKIP : skipped == relevant ? RUN : WAIT;
            // Airflow: all done and all skipped -> skipped; all done and no success -> upstream_failed.
            case ONE_SUCCESS -> success > 0 ? RUN : !allDone ? WAIT : done == skipped ? SKIP : UPSTREAM_FAILED;
            case ONE_FAILED -> failures > 0 ? RUN : allDone ? SKIP : WAIT;
            // upstream_failed does not count as "done" for one_done, as in Airflow.
            case ONE_DONE -> success + up.failed() > 0 ? RUN : allDone ? SKIP : WAIT;
            case NONE_FAILED -> failures > 0 ? UPSTREAM_FAILED : success + skipped == relevant ? RUN : WAIT;
            case NONE_FAILED_MIN_ONE_SUCCESS ->
                failures > 0
                        ? UPSTREAM_FAILED
                        : skipped == relevant ? SKIP : success + skipped == relevant ? RUN : WAIT;
            // Runs when all are done and none skipped, failed ones included.
            case NONE_SKIPPED -> skipped > 0 ? SKIP : allDone ? RUN : WAIT;
            case ALWAYS -> RUN;
        };
    }
}
