package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.text.NameSuggester;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one DAG definition (with the file's {@code default} block already merged in): its
 * settings, its task groups through {@link TaskGroupReader}, where each task goes and what it
 * depends on through {@link TaskPlacer}, its tasks through {@link TaskReader}, then the check that
 * needs all tasks (no cycle). Returns null when the DAG has problems, which it records.
 */
final class DagReader {

    static final Set<String> DAG_KEYS = Set.of(
            "default_args",
            "schedule",
            "schedule_interval",
            "timetable",
            "description",
            "tags",
            "catchup",
            "max_active_runs",
            "max_active_tasks",
            "concurrency",
            "dagrun_timeout",
            "dagrun_timeout_sec",
            "params",
            "timezone",
            "is_paused_upon_creation",
            "end_date",
            "start_date",
            "tasks",
            // read by DagSettingsReader
            "doc_md",
            "doc_md_file_path",
            "doc_md_python_callable_file",
            "doc_md_python_callable_name",
            "doc_md_python_arguments",
            "dag_display_name",
            "default_view",
            "orientation",
            "owner_links",
            "render_template_as_native_obj",
            "max_consecutive_failed_dag_runs",
            "access_control",
            "task_groups");

    private final OperatorCatalog catalog;
    private final String file;
    private final DocFiles docFiles;

    /** @param folder the DAG folder holding {@code file}, or null when the file is parsed on its own */
    DagReader(OperatorCatalog catalog, String file, Path folder) {
        this.catalog = catalog;
        this.file = file;
        this.docFiles = new DocFiles(folder, file);
    }

    Dag read(String dagId, int line, YamlMap dag, YamlMap defaultArgs, Problems problems) {
        FieldReader fields = new FieldReader(problems);
        for (YamlMap.Entry entry : dag.entries()) {
            if (!DAG_KEYS.contains(entry.key())) {
                problems.add(
                        entry.line(),
                        "DAG '" + dagId + "': unknown setting '" + entry.key() + "'"
                                + NameSuggester.hint(entry.key(), DAG_KEYS));
            }
        }
        ZoneId timezone = timezone(dag, defaultArgs, fields);
        Instant startDate = date(dag, defaultArgs, "start_date", timezone, fields);
        Instant endDate = date(dag, defaultArgs, "end_date", timezone, fields);
        if (dag.get("schedule") != null && dag.get("schedule_interval") != null) {
            // Airflow refuses both too: one would silently win over the other
            problems.add(
                    dag.get("schedule_interval").line(),
                    "DAG '" + dagId
                            + "' sets both 'schedule' and 'schedule_interval' (its old name); keep only 'schedule'");
        }
        Schedule schedule = schedule(dagId, dag, timezone, fields);
        if (dag.get("max_active_tasks") != null && dag.get("concurrency") != null) {
            problems.add(
                    dag.get("concurrency").line(),
                    "DAG '" + dagId
                            + "' sets both 'max_active_tasks' and 'concurrency' (its old name); keep only 'max_active_tasks'");
        }
        DagSettingsReader.Settings settings = new DagSettingsReader(dagId, problems, docFiles).read(dag);
        Map<String, TaskGroupReader.Group> groups =
                TaskGroupReader.read(dagId, dag.get("task_groups"), catalog, fields);
        List<TaskSpec> tasks = tasks(dagId, line, dag, defaultArgs, groups, fields);
        YamlMap.Entry paramsEntry = dag.get("params");
        ParamsReader.Read params = ParamsReader.read(
                dagId,
                fields.read(paramsEntry, YamlValues::mapping, Map.of()),
                schedule,
                paramsEntry == null ? line : paramsEntry.line(),
                problems);
        Dag result = new Dag(
                dagId,
                file,
                line,
                fields.read(dag, "description", YamlValues::string, null),
                fields.read(defaultArgs, "owner", YamlValues::string, null),
                fields.read(dag, "tags", YamlValues::stringList, List.of()),
                schedule,
                startDate,
                endDate,
                timezone,
                fields.read(dag, "catchup", YamlValues::bool, null),
                fields.atLeast(dag.get("max_active_runs"), 1, null),
                fields.atLeast(dag.first("max_active_tasks", "concurrency"), 1, null),
                fields.read(
                        dag.first("dagrun_timeout", "dagrun_timeout_sec"),
                        node -> DurationParser.parse(YamlValues.plain(node)),
                        null),
                params.defaults(),
                fields.read(dag, "is_paused_upon_creation", YamlValues::bool, null),
                tasks,
                defaultArgs.toPlainMap(),
                params.schemas(),
                settings.docMd(),
                settings.dagDisplayName(),
                settings.defaultView(),
                settings.orientation(),
                settings.ownerLinks(),
                settings.renderTemplateAsNativeObj(),
                settings.maxConsecutiveFailedDagRuns(),
                groups.values().stream().map(TaskGroupReader.Group::model).toList());
        return problems.isEmpty() ? result : null;
    }

    /** {@code schedule}, its old name {@code schedule_interval}, or Airflow 2's {@code timetable}; at most one. */
    private static Schedule schedule(String dagId, YamlMap dag, ZoneId timezone, FieldReader fields) {
        YamlMap.Entry timetable = dag.get("timetable");
        YamlMap.Entry schedule = dag.first("schedule", "schedule_interval");
        if (timetable != null && schedule != null && !YamlValues.isNull(timetable.value())) {
            fields.problem(
                    timetable.line(),
                    "DAG '" + dagId + "' sets both '" + schedule.key()
                            + "' and 'timetable'; keep one (a timetable object can go under 'schedule:')");
        }
        if (timetable != null && !YamlValues.isNull(timetable.value())) {
            return fields.read(timetable, node -> ScheduleParser.timetableOf(node, timezone), new Schedule.None());
        }
        return fields.read(schedule, node -> ScheduleParser.parse(node, timezone), new Schedule.None());
    }

    /** The {@code default_args} mapping of a DAG or of the default block; empty when absent. */
    static YamlMap defaultArgs(YamlMap dag, Problems problems) {
        YamlMap.Entry entry = dag.get("default_args");
        if (entry == null || YamlValues.isNull(entry.value())) {
            return YamlMap.empty(1);
        }
        if (entry.value() instanceof MappingNode mapping) {
            return YamlMap.of(mapping, "default_args key", problems);
        }
        problems.add(
                entry.line(),
                "default_args must be a mapping of task settings, got " + YamlValues.describe(entry.value()));
        return YamlMap.empty(entry.line());
    }

    private static ZoneId timezone(YamlMap dag, YamlMap defaultArgs, FieldReader fields) {
        YamlMap.Entry entry = dag.get("timezone");
        if (entry == null) {
            entry = defaultArgs.get("timezone");
        }
        if (entry != null) {
            return fields.read(entry, DagReader::zone, ZoneOffset.UTC);
        }
        YamlMap.Entry start = dag.get("start_date") != null ? dag.get("start_date") : defaultArgs.get("start_date");
        if (start != null && !YamlValues.isNull(start.value()) && YamlValues.plain(start.value()) instanceof String s) {
            ZoneId own = DateTimeParser.zoneOf(s);
            if (own != null) {
                return own;
            }
        }
        return ZoneOffset.UTC;
    }

    private static ZoneId zone(Node node) {
        String text = YamlValues.string(node).trim();
        try {
            ZoneId zone = ZoneId.of(text);
            return zone.getId().equals("Z") ? ZoneOffset.UTC : zone;
        } catch (DateTimeException e) {
            throw new InvalidValue("'" + text + "' is not a known time zone; use a name like 'UTC', "
                    + "'Europe/Paris' or 'America/New_York'");
        }
    }

    private static Instant date(YamlMap dag, YamlMap defaultArgs, String key, ZoneId zone, FieldReader fields) {
        YamlMap.Entry entry = dag.get(key) != null ? dag.get(key) : defaultArgs.get(key);
        return fields.read(entry, node -> DateTimeParser.parse(YamlValues.string(node), zone), null);
    }

    private List<TaskSpec> tasks(
            String dagId,
            int dagLine,
            YamlMap dag,
            YamlMap defaultArgs,
            Map<String, TaskGroupReader.Group> groups,
            FieldReader fields) {
        YamlMap.Entry entry = dag.get("tasks");
        Problems problems = fields.problems();
        Map<String, YamlMap> taskMaps = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        if (entry == null || YamlValues.isNull(entry.value())) {
            problems.add(
                    entry == null ? dagLine : entry.line(),
                    "DAG '" + dagId + "' has no tasks; add a 'tasks:' " + "mapping of task ids to tasks");
            return List.of();
        }
        switch (entry.value()) {
            case MappingNode mapping -> {
                for (YamlMap.Entry task : YamlMap.of(mapping, "task", problems).entries()) {
                    if (task.value() instanceof MappingNode taskNode) {
                        taskMaps.put(task.key(), YamlMap.of(taskNode, "key", problems));
                        lines.put(task.key(), task.line());
                    } else {
                        problems.add(
                                task.line(),
                                "task '" + task.key() + "' must be a mapping with an operator "
                                        + "and its arguments, got " + YamlValues.describe(task.value()));
                    }
                }
            }
            case SequenceNode sequence -> {
                for (Node item : sequence.getValue()) {
                    listTask(item, taskMaps, lines, problems);
                }
            }
            default ->
                problems.add(
                        entry.line(),
                        "tasks must be a mapping of task ids to tasks, or a list of " + "tasks each with a task_id");
        }
        if (taskMaps.isEmpty() && problems.isEmpty()) {
            problems.add(entry.line(), "DAG '" + dagId + "' has no tasks");
        }
        Map<String, TaskPlacer.Placement> placements =
                TaskPlacer.place(dagId, taskMaps, lines, groups, defaultArgs, fields);
        List<TaskSpec> tasks = new ArrayList<>(taskMaps.size());
        for (Map.Entry<String, YamlMap> task : taskMaps.entrySet()) {
            int line = lines.get(task.getKey());
            String idProblem = DagIds.problem("task id", task.getKey());
            if (idProblem != null) {
                problems.add(line, idProblem);
            }
            TaskPlacer.Placement placement = placements.get(task.getKey());
            TaskReader reader = new TaskReader(catalog, fields, placement.defaultArgs());
            tasks.add(reader.read(task.getKey(), line, task.getValue(), placement));
        }
        checkCycles(tasks, problems);
        return tasks;
    }

    private static void listTask(
            Node item, Map<String, YamlMap> taskMaps, Map<String, Integer> lines, Problems problems) {
        int line = YamlMap.lineOf(item);
        if (!(item instanceof MappingNode mapping)) {
            problems.add(line, "each item of tasks must be a mapping with a task_id, got " + YamlValues.describe(item));
            return;
        }
        YamlMap task = YamlMap.of(mapping, "key", problems);
        YamlMap.Entry id = task.get("task_id");
        if (id == null || YamlValues.isNull(id.value())) {
            problems.add(line, "a task in the tasks list has no task_id");
            return;
        }
        String taskId = YamlValues.plain(id.value()).toString();
        Integer first = lines.get(taskId);
        if (first != null) {
            problems.add(id.line(), "task '" + taskId + "' is defined twice (first on line " + first + ")");
            return;
        }
        taskMaps.put(taskId, task.without("task_id"));
        lines.put(taskId, id.line());
    }

    private static void checkCycles(List<TaskSpec> tasks, Problems problems) {
        Map<String, List<String>> upstreamOf = new LinkedHashMap<>();
        tasks.forEach(task -> upstreamOf.put(task.taskId(), task.upstream()));
        CycleFinder.find(upstreamOf).ifPresent(cycle -> {
            int line = tasks.stream()
                    .filter(t -> t.taskId().equals(cycle.getFirst()))
                    .findFirst()
                    .map(TaskSpec::line)
                    .orElse(1);
            problems.add(line, "cycle in task dependencies: " + String.join(" -> ", cycle));
        });
    }
}
