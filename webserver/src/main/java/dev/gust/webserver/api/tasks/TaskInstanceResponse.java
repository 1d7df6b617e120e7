package dev.gust.webserver.api.tasks;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Airflow's {@code TaskInstance} schema. A task instance without a state has {@code state}
 * null, as in Airflow; fields of features Gust does not have (triggers, SLAs, queues) are null
 * where the spec allows it. {@code hostname} and {@code unixname} may not be null in the spec:
 * they are empty until a runner took the task instance ({@code unixname} always: Gust does not
 * record the runner's OS user).
 */
public record TaskInstanceResponse(
        String taskId,
        String taskDisplayName,
        String dagId,
        String dagRunId,
        Instant executionDate,
        Instant startDate,
        Instant endDate,
        Double duration,
        String state,
        int tryNumber,
        int mapIndex,
        int maxTries,
        String hostname,
        String unixname,
        String pool,
        int poolSlots,
        String queue,
        int priorityWeight,
        String operator,
        Instant queuedWhen,
        Integer pid,
        String executor,
        String executorConfig,
        Object slaMiss,
        String renderedMapIndex,
        Map<String, Object> renderedFields,
        Object trigger,
        Object triggererJob,
        String note) {

    /** Airflow's {@code TaskInstanceCollection}. */
    public record Collection(List<TaskInstanceResponse> taskInstances, long totalEntries) {}

    /** Airflow's {@code TaskInstanceReference}: what a clear or a state change answers with. */
    public record Reference(String taskId, String dagId, Instant executionDate, String dagRunId) {}

    /** Airflow's {@code TaskInstanceReferenceCollection}. */
    public record References(List<Reference> taskInstances) {}

    public static TaskInstanceResponse of(TaskInstanceQuery.Listed listed) {
        TaskInstance ti = listed.taskInstance();
        return new TaskInstanceResponse(
                ti.taskId(),
                ti.taskId(),
                ti.key().dagId(),
                ti.key().runId(),
                listed.logicalDate(),
                ti.startDate(),
                ti.endDate(),
                ti.duration(),
                ti.state() == TaskState.NONE ? null : ti.state().dbName(),
                ti.tryNumber(),
                ti.key().mapIndex(),
                ti.maxTries(),
                ti.hostname() == null ? "" : ti.hostname(),
                "",
                ti.pool(),
                ti.poolSlots(),
                null,
                ti.priorityWeight(),
                ti.operator(),
                ti.queuedAt(),
                ti.pid(),
                ti.executor(),
                "{}",
                null,
                ti.renderedMapIndex(),
                Map.of(),
                null,
                null,
                listed.note());
    }

    /** One try of a task instance as it last was (Airflow's {@code TaskInstanceHistory}). */
    public static TaskInstanceResponse of(TaskInstanceQuery.Try attempt) {
        return new TaskInstanceResponse(
                attempt.key().taskId(),
                attempt.key().taskId(),
                attempt.key().dagId(),
                attempt.key().runId(),
                attempt.logicalDate(),
                attempt.startDate(),
                attempt.endDate(),
                attempt.duration(),
                "none".equals(attempt.state()) ? null : attempt.state(),
                attempt.tryNumber(),
                attempt.key().mapIndex(),
                attempt.maxTries(),
                attempt.hostname() == null ? "" : attempt.hostname(),
                "",
                attempt.pool(),
                attempt.poolSlots(),
                null,
                attempt.priorityWeight(),
                attempt.operator(),
                attempt.queuedAt(),
                attempt.pid(),
                attempt.executor(),
                "{}",
                null,
                null,
                Map.of(),
                null,
                null,
                null);
    }
}
