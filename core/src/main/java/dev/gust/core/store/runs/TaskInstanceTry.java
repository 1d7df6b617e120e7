package dev.gust.core.store.runs;

/**
 * One try of a task instance: what a runner owns. A cleared task instance runs again under the
 * same key with a higher try number, possibly while the runner of the earlier try is still
 * winding down, so runners heartbeat and record by try, never by key alone.
 */
public record TaskInstanceTry(TaskInstanceKey key, int tryNumber) {

    @Override
    public String toString() {
        return key + " try " + tryNumber;
    }
}
