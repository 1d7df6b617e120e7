package dev.gust.webserver.api.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.webserver.api.TimeDelta;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Airflow's {@code Task} schema for a task of a DAG's definition. {@code class_ref} names Gust's
 * operator ({@code bash}, {@code http}...) as the class; UI colours are Airflow's defaults.
 * {@code sub_dag} is left out, as Airflow leaves it out for a task that is not a SubDAG (the spec
 * does not let it be null); {@code owner} is Airflow's default {@code airflow} when the task names
 * none; {@code doc_md} is the task's Markdown documentation, null when it has none or documents
 * itself otherwise ({@code doc}, {@code doc_rst}...). {@code inlets} and {@code outlets} (dataset
 * URIs) are Gust's addition.
 */
public record TaskResponse(
        ClassRef classRef,
        String taskId,
        String taskDisplayName,
        String owner,
        Instant startDate,
        Instant endDate,
        String triggerRule,
        List<Object> extraLinks,
        boolean dependsOnPast,
        boolean isMapped,
        boolean waitForDownstream,
        int retries,
        String queue,
        String executor,
        String pool,
        int poolSlots,
        TimeDelta executionTimeout,
        TimeDelta retryDelay,
        boolean retryExponentialBackoff,
        int priorityWeight,
        String weightRule,
        String uiColor,
        String uiFgcolor,
        List<String> templateFields,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object subDag,
        List<String> downstreamTaskIds,
        List<String> inlets,
        List<String> outlets,
        String docMd) {

    /** Airflow's {@code ClassReference}. */
    public record ClassRef(String modulePath, String className) {}

    /** Airflow's {@code TaskCollection}. */
    public record Collection(List<TaskResponse> tasks, long totalEntries) {}

    public static TaskResponse of(Dag dag, TaskSpec task) {
        return new TaskResponse(
                new ClassRef("gust.operators", task.operator()),
                task.taskId(),
                task.taskId(),
                task.owner() == null || task.owner().isBlank() ? "airflow" : task.owner(),
                dag.startDate(),
                dag.endDate(),
                task.triggerRule().name().toLowerCase(Locale.ROOT),
                List.of(),
                task.dependsOnPast(),
                task.expand() != null && !task.expand().isEmpty(),
                task.waitForDownstream(),
                task.retries(),
                null,
                null,
                task.pool(),
                task.poolSlots(),
                TimeDelta.of(task.executionTimeout()),
                TimeDelta.of(task.retryDelay()),
                task.retryExponentialBackoff(),
                task.priorityWeight(),
                task.weightRule().name().toLowerCase(Locale.ROOT),
                "#fff",
                "#000",
                List.of(),
                null,
                dag.downstream(task.taskId()),
                task.inletUris(),
                task.outletUris(),
                task.doc() != null && task.doc().markdown() ? task.doc().text() : null);
    }
}
