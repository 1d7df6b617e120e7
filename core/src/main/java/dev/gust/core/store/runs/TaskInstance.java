package dev.gust.core.store.runs;

import dev.gust.core.state.TaskState;
import java.time.Instant;

/**
 * One row of {@code task_instance}: a task within a DAG run, its state and its current try.
 * {@code executor} is the executor that claimed the current try ({@code local}, {@code ecs}; null
 * before any claim); for {@code ecs}, {@code externalExecutorId} is the ECS task's ARN and a null
 * {@code pid} on a running row means its container has not started the worker yet.
 * {@code renderedMapIndex} is what a mapped task's {@code map_index_template} rendered to when
 * this instance last ran (Airflow's named mapping), or null.
 */
public record TaskInstance(
        TaskInstanceKey key,
        TaskState state,
        int tryNumber,
        int maxTries,
        String hostname,
        Integer pid,
        Instant lastHeartbeatAt,
        Long queuedByJobId,
        String externalExecutorId,
        String pool,
        int poolSlots,
        int priorityWeight,
        String operator,
        Instant queuedAt,
        Instant startDate,
        Instant endDate,
        Double duration,
        Instant nextRetryAt,
        Instant firstTryStartedAt,
        String executor,
        String renderedMapIndex) {

    public String taskId() {
        return key.taskId();
    }

    /** This row's current try, as its runner knows it. */
    public TaskInstanceTry currentTry() {
        return new TaskInstanceTry(key, tryNumber);
    }
}
