package dev.gust.core.dag.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated DAG as loaded from a DAG file: its schedule and limits, and its tasks in file
 * order. {@code fileloc} is the file's path relative to the DAG folder and {@code line} the
 * line of the DAG id in it. Nullable fields mean "not set in the file": {@code catchup} and
 * {@code pausedUponCreation} then fall back to Gust's configuration, limits to their configured
 * defaults. Dates are instants; {@code timezone} says how to read them locally (cron schedules
 * fire in that zone). {@code params} are the defaults templates see; {@code paramSchemas} the
 * JSON Schema of each param declared as Airflow's {@code Param}, checked against a run's conf.
 * The presentation settings ({@code docMd}: Markdown as written, {@code dagDisplayName},
 * {@code defaultView}, {@code orientation}, {@code ownerLinks}) mean what Airflow's DAG arguments
 * of those names mean; {@code renderTemplateAsNativeObj} makes templated arguments native values,
 * and {@code maxConsecutiveFailedDagRuns} (null or 0: never) pauses the DAG after that many
 * failed runs in a row.
 * {@code taskGroups} are its task groups, parents before their children; a task names its own
 * in {@link TaskSpec#taskGroupId()}.
 * {@code ignoredSettings} says which settings the file has that Gust accepts without acting on
 * them (shown as a DAG warning). {@code callbacks} are the DAG's own callbacks of a run's success
 * and failure ({@code default_args}' callbacks are its tasks') and of its tasks' SLA misses.
 * {@code deadlines} are its Airflow 3 deadline alerts (a run not finished by a deadline calls back).
 */
public record Dag(
        String dagId,
        String fileloc,
        int line,
        String description,
        String owner,
        List<String> tags,
        Schedule schedule,
        Instant startDate,
        Instant endDate,
        ZoneId timezone,
        Boolean catchup,
        Integer maxActiveRuns,
        Integer maxActiveTasks,
        Duration dagrunTimeout,
        Map<String, Object> params,
        Boolean pausedUponCreation,
        List<TaskSpec> tasks,
        Map<String, Object> defaultArgs,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Object>> paramSchemas,
        String docMd,
        String dagDisplayName,
        String defaultView,
        String orientation,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> ownerLinks,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean renderTemplateAsNativeObj,
        Integer maxConsecutiveFailedDagRuns,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TaskGroup> taskGroups,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> ignoredSettings,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<CallbackEvent, List<CallbackSpec>> callbacks,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DeadlineAlert> deadlines) {

    public Dag {
        Objects.requireNonNull(dagId, "dagId");
        Objects.requireNonNull(fileloc, "fileloc");
        tags = List.copyOf(tags);
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timezone, "timezone");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        tasks = TaskList.of(tasks);
        defaultArgs = Collections.unmodifiableMap(new LinkedHashMap<>(defaultArgs));
        paramSchemas = paramSchemas == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(paramSchemas));
        ignoredSettings = ignoredSettings == null ? List.of() : List.copyOf(ignoredSettings);
        taskGroups = taskGroups == null ? List.of() : List.copyOf(taskGroups);
        ownerLinks = ownerLinks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ownerLinks));
        Map<CallbackEvent, List<CallbackSpec>> copied = CallbackLists.copy(callbacks);
        callbacks = copied == null ? Map.of() : copied;
        deadlines = deadlines == null ? List.of() : List.copyOf(deadlines);
    }

    /** Whether any task has an SLA or the DAG a deadline: what the scheduler's SLA check looks at. */
    public boolean hasSlas() {
        return !deadlines.isEmpty() || tasks.stream().anyMatch(t -> t.sla() != null);
    }

    /** The DAG's own callbacks of {@code event} (success or failure of a run); empty when none. */
    public List<CallbackSpec> callbacksFor(CallbackEvent event) {
        return callbacks.getOrDefault(event, List.of());
    }

    /** The name people see: {@code dag_display_name} when set, else the DAG id (as Airflow). */
    public String displayName() {
        return dagDisplayName != null ? dagDisplayName : dagId;
    }

    /** The DAG's edges indexed both ways, built once per definition. */
    public TaskGraph graph() {
        return ((TaskList) tasks).graph();
    }

    public Optional<TaskSpec> task(String taskId) {
        return Optional.ofNullable(((TaskList) tasks).byId(taskId));
    }

    /**
     * The params {@code task} sees before a run's conf: the DAG's with the task's own merged over
     * them key by key, as Airflow merges a task's {@code params} over its DAG's.
     */
    public Map<String, Object> paramsOf(TaskSpec task) {
        if (task.params() == null) {
            return params;
        }
        Map<String, Object> merged = new LinkedHashMap<>(params);
        merged.putAll(task.params());
        return Collections.unmodifiableMap(merged);
    }

    public Optional<TaskGroup> taskGroup(String groupId) {
        return taskGroups.stream().filter(g -> g.groupId().equals(groupId)).findFirst();
    }

    /** Ids of the tasks that list {@code taskId} as an upstream, in file order. */
    public List<String> downstream(String taskId) {
        List<String> result = new ArrayList<>();
        for (TaskSpec task : tasks) {
            if (task.upstream().contains(taskId)) {
                result.add(task.taskId());
            }
        }
        return result;
    }
}
