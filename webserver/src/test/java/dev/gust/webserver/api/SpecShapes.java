package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Facts read from Airflow 2.10's v1.yaml, written down: for each schema the fields Gust sends,
 * their JSON type, and whether the spec lets them be null ({@code ?} after the type). A field the
 * spec leaves out of {@code required} but Gust always sends is checked too; {@link #check} fails
 * on a missing field, a wrong type, or a null the spec does not allow.
 */
final class SpecShapes {

    private SpecShapes() {}

    /** {@code DAG} (components/schemas/DAG). */
    static final Map<String, String> DAG = Map.ofEntries(
            Map.entry("dag_id", "string"),
            Map.entry("dag_display_name", "string"),
            Map.entry("root_dag_id", "string?"),
            Map.entry("is_paused", "boolean?"),
            Map.entry("is_active", "boolean?"),
            Map.entry("is_subdag", "boolean"),
            Map.entry("last_parsed_time", "string?"),
            Map.entry("last_pickled", "string?"),
            Map.entry("last_expired", "string?"),
            Map.entry("scheduler_lock", "boolean?"),
            Map.entry("pickle_id", "string?"),
            Map.entry("default_view", "string?"),
            Map.entry("fileloc", "string"),
            Map.entry("file_token", "string"),
            Map.entry("owners", "array"),
            Map.entry("description", "string?"),
            Map.entry("schedule_interval", "object?"),
            Map.entry("timetable_description", "string?"),
            Map.entry("tags", "array?"),
            Map.entry("max_active_tasks", "integer?"),
            Map.entry("max_active_runs", "integer?"),
            Map.entry("max_consecutive_failed_dag_runs", "integer?"),
            Map.entry("has_task_concurrency_limits", "boolean?"),
            Map.entry("has_import_errors", "boolean?"),
            Map.entry("next_dagrun", "string?"),
            Map.entry("next_dagrun_data_interval_start", "string?"),
            Map.entry("next_dagrun_data_interval_end", "string?"),
            Map.entry("next_dagrun_create_after", "string?"));

    /** {@code DAGRun}. {@code conf} is an object and not nullable; {@code state} is DagState (not nullable). */
    static final Map<String, String> DAG_RUN = Map.ofEntries(
            Map.entry("dag_run_id", "string?"),
            Map.entry("dag_id", "string"),
            Map.entry("logical_date", "string?"),
            Map.entry("execution_date", "string?"),
            Map.entry("start_date", "string?"),
            Map.entry("end_date", "string?"),
            Map.entry("data_interval_start", "string?"),
            Map.entry("data_interval_end", "string?"),
            Map.entry("last_scheduling_decision", "string?"),
            Map.entry("run_type", "string"),
            Map.entry("state", "string"),
            Map.entry("external_trigger", "boolean"),
            Map.entry("conf", "object"),
            Map.entry("note", "string?"));

    /**
     * {@code TaskInstance}. Not nullable in the spec: dag_id, dag_run_id, execution_date, hostname,
     * unixname, pool, pool_slots, try_number, map_index, max_tries, executor_config, task_id,
     * task_display_name, rendered_fields; {@code state} is TaskState (nullable).
     */
    static final Map<String, String> TASK_INSTANCE = Map.ofEntries(
            Map.entry("task_id", "string"),
            Map.entry("task_display_name", "string"),
            Map.entry("dag_id", "string"),
            Map.entry("dag_run_id", "string"),
            Map.entry("execution_date", "string"),
            Map.entry("start_date", "string?"),
            Map.entry("end_date", "string?"),
            Map.entry("duration", "number?"),
            Map.entry("state", "string?"),
            Map.entry("try_number", "integer"),
            Map.entry("map_index", "integer"),
            Map.entry("max_tries", "integer"),
            Map.entry("hostname", "string"),
            Map.entry("unixname", "string"),
            Map.entry("pool", "string"),
            Map.entry("pool_slots", "integer"),
            Map.entry("queue", "string?"),
            Map.entry("priority_weight", "integer?"),
            Map.entry("operator", "string?"),
            Map.entry("queued_when", "string?"),
            Map.entry("pid", "integer?"),
            Map.entry("executor", "string?"),
            Map.entry("executor_config", "string"),
            Map.entry("sla_miss", "object?"),
            Map.entry("rendered_map_index", "string?"),
            Map.entry("rendered_fields", "object"),
            Map.entry("trigger", "object?"),
            Map.entry("triggerer_job", "object?"),
            Map.entry("note", "string?"));

    /** {@code Task}: {@code sub_dag} is a DAG (not nullable), so it is absent for a task that is not a SubDAG. */
    static final Map<String, String> TASK = Map.ofEntries(
            Map.entry("class_ref", "object"),
            Map.entry("task_id", "string"),
            Map.entry("task_display_name", "string"),
            Map.entry("owner", "string"),
            Map.entry("start_date", "string?"),
            Map.entry("end_date", "string?"),
            Map.entry("trigger_rule", "string"),
            Map.entry("extra_links", "array"),
            Map.entry("depends_on_past", "boolean"),
            Map.entry("is_mapped", "boolean"),
            Map.entry("wait_for_downstream", "boolean"),
            Map.entry("retries", "number"),
            Map.entry("queue", "string?"),
            Map.entry("executor", "string?"),
            Map.entry("pool", "string"),
            Map.entry("pool_slots", "number"),
            Map.entry("execution_timeout", "object?"),
            Map.entry("retry_delay", "object?"),
            Map.entry("retry_exponential_backoff", "boolean"),
            Map.entry("priority_weight", "number"),
            Map.entry("weight_rule", "string"),
            Map.entry("ui_color", "string"),
            Map.entry("ui_fgcolor", "string"),
            Map.entry("template_fields", "array"),
            Map.entry("downstream_task_ids", "array"),
            Map.entry("doc_md", "string?"));

    /** {@code XComCollectionItem}: every field a non-null value. */
    static final Map<String, String> XCOM_ITEM = Map.of(
            "dag_id", "string",
            "execution_date", "string",
            "key", "string",
            "map_index", "integer",
            "task_id", "string",
            "timestamp", "string");

    /** {@code TaskInstanceReference}. */
    static final Map<String, String> TASK_INSTANCE_REFERENCE =
            Map.of("task_id", "string", "dag_id", "string", "execution_date", "string", "dag_run_id", "string");

    /** {@code TaskFailedDependency}. */
    static final Map<String, String> FAILED_DEPENDENCY = Map.of("name", "string", "reason", "string");

    /** {@code DagStatsCollectionItem} and its {@code DagStatsStateCollectionItem}s. */
    static final Map<String, String> DAG_STATS_ITEM = Map.of("dag_id", "string", "stats", "array?");

    static final Map<String, String> DAG_STATS_STATE = Map.of("state", "string", "count", "integer");

    static void check(JsonNode item, Map<String, String> fields) {
        assertThat(item.isObject()).as("an object: %s", item).isTrue();
        fields.forEach((name, spec) -> {
            boolean nullable = spec.endsWith("?");
            String type = nullable ? spec.substring(0, spec.length() - 1) : spec;
            assertThat(item.has(name)).as("field %s in %s", name, item).isTrue();
            JsonNode value = item.get(name);
            if (value.isNull()) {
                assertThat(nullable).as("%s may not be null", name).isTrue();
                return;
            }
            boolean matches = switch (type) {
                case "string" -> value.isTextual();
                case "integer" -> value.isIntegralNumber();
                case "number" -> value.isNumber();
                case "boolean" -> value.isBoolean();
                case "array" -> value.isArray();
                case "object" -> value.isObject();
                default -> throw new IllegalArgumentException(type);
            };
            assertThat(matches).as("%s is a %s: %s", name, type, value).isTrue();
        });
    }

    /** Each item of an array, checked. */
    static void checkEach(JsonNode items, Map<String, String> fields) {
        assertThat(items.isArray()).isTrue();
        items.forEach(item -> check(item, fields));
    }
}
