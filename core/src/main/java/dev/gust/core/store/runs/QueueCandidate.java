package dev.gust.core.store.runs;

/**
 * A scheduled task instance as queueing weighs it: where it would run (its pool and the slots it
 * takes) and its try number (for the line a task in a missing pool fails with). Narrower than
 * {@link TaskInstance} on purpose: queueing reads many of these per round.
 */
public record QueueCandidate(TaskInstanceKey key, String pool, int poolSlots, int tryNumber) {

    public String taskId() {
        return key.taskId();
    }
}
