package dev.gust.scheduler.operators;

import java.time.Instant;
import java.util.List;

/**
 * How one try of a task ended, as the operator sees it. The executor turns it into the task
 * instance's next state (retries and timeouts are the executor's business, not the operator's).
 */
public sealed interface OperatorOutcome {

    /** The work is done. */
    record Success() implements OperatorOutcome {}

    /** The task decided it has nothing to do ({@code skip_on_exit_code}, a soft-failed sensor). */
    record Skipped(String reason) implements OperatorOutcome {}

    /** The try failed; retried if tries are left. */
    record Failed(String reason) implements OperatorOutcome {}

    /** The try failed and must not be retried (Airflow's AirflowFailException). */
    record FailedWithoutRetry(String reason) implements OperatorOutcome {}

    /** A sensor in reschedule mode: free the slot and run again at {@code nextTry}. */
    record Reschedule(Instant nextTry) implements OperatorOutcome {}

    /** A branch: follow these direct downstream tasks and skip the others. */
    record FollowBranches(List<String> taskIds) implements OperatorOutcome {
        public FollowBranches {
            taskIds = List.copyOf(taskIds);
        }
    }

    /**
     * A short circuit: the task succeeded and its downstream tasks are skipped; all of them,
     * whatever their trigger rules, with {@code allDownstream}, else only the direct ones.
     */
    record SkipDownstream(boolean allDownstream) implements OperatorOutcome {}

    static OperatorOutcome success() {
        return new Success();
    }
}
