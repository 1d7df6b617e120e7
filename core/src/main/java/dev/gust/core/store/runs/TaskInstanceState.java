package dev.gust.core.store.runs;

import dev.gust.core.state.TaskState;
import java.time.Instant;

/**
 * The little the scheduling loop needs of a task instance on every round: its key, state, try
 * number (for changes made by try) and retry time.
 */
public record TaskInstanceState(TaskInstanceKey key, TaskState state, int tryNumber, Instant nextRetryAt) {

    public String taskId() {
        return key.taskId();
    }

    public TaskInstanceTry currentTry() {
        return new TaskInstanceTry(key, tryNumber);
    }
}
