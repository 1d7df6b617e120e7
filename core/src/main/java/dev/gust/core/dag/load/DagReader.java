package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.core.text.NameSuggester;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    static final Set<String> DAG_KEYS = dagKeys(
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
            "task_groups",
            // Airflow 3's deadline alerts, read by DeadlineReader
            "deadline");

    /** The keys above and the DAG's own callbacks ({@link CallbackReader}). */
    private static Set<String> dagKeys(String... keys) {
        Set<String> all = new LinkedHashSet<>(List.of(keys));
        all.addAll(CallbackReader.keys(CallbackReader.DAG_EVENTS));
        return Set.copyOf(all);
    }

    /** Keys of default_args that the DAG reads for itself (dag-factory reads them there too). */
    private static final Set<String> DAG_DEFAULT_ARGS = Set.of("start_date", "end_date", "timezone");

    private final OperatorCatalog catalog;
    private final String file;
    private final DocFiles docFiles;
    private final PythonCallables callables;
    private final Clock clock;

    /**
     * Reads DAGs of {@code file}; {@code folder} is the DAG folder holding it, or null when the
     * file is parsed on its own; relative start dates count back from today by {@code clock};
     * Python callable files may name variables of {@code environment}.
     */
    DagReader(OperatorCatalog catalog, String file, Path folder, Clock clock, Map<String, String> environment) {
        this.catalog = catalog;
        this.file = file;
        this.docFiles = new DocFiles(folder, file);
        this.callables = new PythonCallables(folder, file, environment);
        this.clock = clock;
    }

    /** The files beside the DAG file that the DAGs read so far named (see {@link DocFiles}). */
    Map<Path, String> sideFiles() {
        return docFiles.sideFiles();
    }

    /**
     * The DAG, or null when it has problems. {@code defaultArgs} are its own merged over
     * {@code sharedDefaultArgs}, those of the file's default block (checked against every
     * operator, since DAGs with different operators share them).
     */
    Dag read(String dagId, int line, YamlMap dag, YamlMap defaultArgs, YamlMap sharedDefaultArgs, Problems problems) {
        FieldReader fields = new FieldReader(problems, "DAG '" + dagId + "'");
        for (YamlMap.Entry entry : dag.entries()) {
            if (!DAG_KEYS.contains(entry.key())) {
                problems.add(entry.line(), unknownSetting(fields.where(), entry));
            }
        }
        ZoneId timezone = timezone(dag, defaultArgs, fields);
        Instant startDate = date(dag, defaultArgs, "start_date", timezone, fields);
        Instant endDate = date(dag, defaultArgs, "end_date", timezone, fields);
        if (dag.has("dagrun_timeout") && dag.has("dagrun_timeout_sec")) {
            problems.add(
                    dag.get("dagrun_timeout_sec").line(),
                    fields.where() + ": sets both 'dagrun_timeout' and 'dagrun_timeout_sec' (the same setting in"
                            + " seconds); keep only 'dagrun_timeout'");
        }
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
        if (startDate == null && runsOnATimetable(schedule) && !hasValue(dag, defaultArgs, "start_date")) {
            // Airflow refuses such a DAG ("DAG is missing the start_date parameter"); any date chosen here would
            // give it runs it does not have in Airflow
            YamlMap.Entry scheduleEntry = dag.first("schedule", "schedule_interval", "timetable");
            problems.add(
                    scheduleEntry == null ? line : scheduleEntry.line(),
                    fields.where() + " has a schedule but no start_date, which Airflow refuses too; add e.g."
                            + " 'start_date: 2024-01-01' (or '1 days' for yesterday's midnight) to the DAG or its"
                            + " default_args, or 'schedule: null' to trigger it only by hand");
        }
        Set<String> ignored = new LinkedHashSet<>();
        List<TaskSpec> tasks = tasks(dagId, line, dag, defaultArgs, groups, timezone, fields, ignored);
        checkDefaultArgs(fields, defaultArgs, sharedDefaultArgs, tasks, ignored);
        YamlMap.Entry paramsEntry = dag.get("params");
        ParamsReader.Read params = ParamsReader.read(
                fields.where(),
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
                groups.values().stream().map(TaskGroupReader.Group::model).toList(),
                List.copyOf(ignored),
                new CallbackReader(fields, callables).dag(dag),
                fields.read(dag, "deadline", new DeadlineReader(timezone, clock)::read, List.of()));
        return problems.isEmpty() ? result : null;
    }

    /** {@code schedule}, its old name {@code schedule_interval}, or Airflow 2's {@code timetable}; at most one. */
    private Schedule schedule(String dagId, YamlMap dag, ZoneId timezone, FieldReader fields) {
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
        return fields.read(schedule, node -> ScheduleParser.parse(node, timezone, docFiles), new Schedule.None());
    }

    /** The {@code default_args} mapping of a DAG, a default block or a defaults file; empty when absent. */
    static YamlMap defaultArgs(YamlMap dag, Problems problems) {
        return defaultArgs(dag, "the default block", problems);
    }

    /**
     * The {@code default_args} mapping of a DAG or of the default block ({@code where} names which
     * in messages); empty when absent.
     */
    static YamlMap defaultArgs(YamlMap dag, String where, Problems problems) {
        YamlMap.Entry entry = dag.get("default_args");
        if (entry == null || YamlValues.isNull(entry.value())) {
            return YamlMap.empty(1);
        }
        if (entry.value() instanceof MappingNode mapping) {
            return YamlMap.of(mapping, where + ": default_args key", problems);
        }
        problems.add(
                entry.line(),
                where + ": default_args must be a mapping of task settings, got " + YamlValues.describe(entry.value()));
        return YamlMap.empty(entry.line());
    }

    /**
     * What to say about a key that is not one of {@link #DAG_KEYS}: that it needs Python, or that
     * it is unknown (with the nearest known key).
     */
    private static String unknownSetting(String where, YamlMap.Entry entry) {
        String key = entry.key();
        String python = NeedsPython.dagKey(key);
        if (python != null) {
            return NeedsPython.message(where, key, python);
        }
        return where + ": unknown setting '" + key + "'" + NameSuggester.hint(key, DAG_KEYS);
    }

    /** Whether runs are created by time, so that Airflow needs a start date (not for none or datasets). */
    private static boolean runsOnATimetable(Schedule schedule) {
        return !(schedule instanceof Schedule.None) && !(schedule instanceof Schedule.Datasets);
    }

    private static boolean hasValue(YamlMap dag, YamlMap defaultArgs, String key) {
        YamlMap.Entry entry = dag.get(key) != null ? dag.get(key) : defaultArgs.get(key);
        return entry != null && !YamlValues.isNull(entry.value());
    }

    /**
     * The DAG's time zone: its {@code timezone} (or default_args'), a name or a pendulum time zone
     * object; else the zone its start date is written in; else UTC.
     */
    private static ZoneId timezone(YamlMap dag, YamlMap defaultArgs, FieldReader fields) {
        YamlMap.Entry entry = dag.get("timezone");
        if (entry == null) {
            entry = defaultArgs.get("timezone");
        }
        if (entry != null) {
            return fields.read(entry, node -> DagFactoryObjects.zone(YamlValues.plain(node)), ZoneOffset.UTC);
        }
        YamlMap.Entry start = dag.get("start_date") != null ? dag.get("start_date") : defaultArgs.get("start_date");
        if (start != null && !YamlValues.isNull(start.value())) {
            ZoneId own = DateTimeParser.zoneOf(YamlValues.plain(start.value()));
            if (own != null) {
                return own;
            }
        }
        return ZoneOffset.UTC;
    }

    private Instant date(YamlMap dag, YamlMap defaultArgs, String key, ZoneId zone, FieldReader fields) {
        YamlMap.Entry entry = dag.get(key) != null ? dag.get(key) : defaultArgs.get(key);
        return fields.read(entry, node -> DateTimeParser.parse(YamlValues.plain(node), zone, clock), null);
    }

    /**
     * Checks that every default_args key applies to something: Airflow passes a default_args entry
     * to each operator that takes it and drops it silently for the others, so a key that no task
     * of the DAG takes (a typo, or a setting of an operator the DAG does not use) would do
     * nothing; it is an error here. Keys of the file's default block, shared by DAGs with
     * different operators, need only be taken by some operator Gust knows.
     */
    private void checkDefaultArgs(
            FieldReader fields, YamlMap defaultArgs, YamlMap shared, List<TaskSpec> tasks, Set<String> ignored) {
        Set<String> taken = new LinkedHashSet<>(TaskReader.TASK_KEYS);
        taken.addAll(DAG_DEFAULT_ARGS);
        Set<String> operatorNames = new LinkedHashSet<>();
        List<OperatorDefinition> operators = new ArrayList<>();
        for (TaskSpec task : tasks) {
            catalog.find(task.operator()).ifPresent(operator -> {
                if (operatorNames.add(operator.name())) {
                    operators.add(operator);
                    taken.addAll(operator.argumentNames());
                }
            });
        }
        for (YamlMap.Entry entry : defaultArgs.entries()) {
            String key = entry.key();
            if (TaskReader.OWN_ONLY_KEYS.contains(key)) {
                fields.problem(
                        entry.line(),
                        (isShared(shared, entry) ? "the default block" : fields.where()) + ": '" + key
                                + "' belongs to each task, not to default_args; move it to the tasks");
                continue;
            }
            if (taken.contains(key) || operators.stream().anyMatch(o -> TaskReader.takesSeconds(o, key))) {
                continue;
            }
            boolean fromShared = isShared(shared, entry);
            String where = fromShared ? "the default block" : fields.where();
            if (IgnoredSettings.isOne(key)) {
                String warning = IgnoredSettings.warning(where + ", default_args", key, defaultArgs);
                if (warning != null) {
                    ignored.add(warning);
                }
                continue;
            }
            String refusal = TaskReader.refusal(where + ", default_args", entry);
            if (fromShared && takenByAnyOperator(key)) {
                // an installed operator's argument is never "needs Python", even one this DAG's tasks do not take
                continue;
            } else if (refusal != null) {
                fields.problem(entry.line(), refusal);
            } else if (DAG_KEYS.contains(key)) {
                fields.problem(
                        entry.line(),
                        where + ": '" + key + "' is a DAG setting, not a task one; move it out of default_args");
            } else {
                fields.problem(
                        entry.line(),
                        where + ": default_args key '" + key + "' is neither a task setting nor an argument of "
                                + (fromShared
                                        ? "any operator"
                                        : "the operators of its tasks (" + String.join(", ", operatorNames) + ")")
                                + ", so it would apply to no task" + NameSuggester.hint(key, taken));
            }
        }
    }

    private boolean takenByAnyOperator(String key) {
        return catalog.names().stream()
                .map(catalog::find)
                .flatMap(Optional::stream)
                .anyMatch(o -> o.argumentNames().contains(key) || TaskReader.takesSeconds(o, key));
    }

    private List<TaskSpec> tasks(
            String dagId,
            int dagLine,
            YamlMap dag,
            YamlMap defaultArgs,
            Map<String, TaskGroupReader.Group> groups,
            ZoneId zone,
            FieldReader fields,
            Set<String> ignored) {
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
                for (YamlMap.Entry task :
                        YamlMap.of(mapping, fields.where() + ": task", problems).entries()) {
                    if (task.value() instanceof MappingNode taskNode) {
                        taskMaps.put(
                                task.key(),
                                YamlMap.of(taskNode, fields.where() + ", task '" + task.key() + "': key", problems));
                        lines.put(task.key(), task.line());
                    } else {
                        problems.add(
                                task.line(),
                                fields.where() + ", task '" + task.key() + "' must be a mapping with an operator "
                                        + "and its arguments, got " + YamlValues.describe(task.value()));
                    }
                }
            }
            case SequenceNode sequence -> {
                for (Node item : sequence.getValue()) {
                    listTask(fields.where(), item, taskMaps, lines, problems);
                }
            }
            default ->
                problems.add(
                        entry.line(),
                        fields.where() + ": tasks must be a mapping of task ids to tasks, or a list of tasks each"
                                + " with a task_id");
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
                problems.add(line, fields.where() + ": " + idProblem);
            }
            TaskPlacer.Placement placement = placements.get(task.getKey());
            TaskReader reader = new TaskReader(catalog, fields, placement.defaultArgs(), zone, ignored, callables);
            tasks.add(reader.read(task.getKey(), line, task.getValue(), placement));
        }
        checkCycles(dagId, tasks, problems);
        return tasks;
    }

    private static void listTask(
            String where, Node item, Map<String, YamlMap> taskMaps, Map<String, Integer> lines, Problems problems) {
        int line = YamlMap.lineOf(item);
        if (!(item instanceof MappingNode mapping)) {
            problems.add(
                    line,
                    where + ": each item of tasks must be a mapping with a task_id, got " + YamlValues.describe(item));
            return;
        }
        YamlMap.Entry id =
                YamlMap.of(mapping, where + ": key", new Problems("")).get("task_id");
        if (id == null || YamlValues.isNull(id.value())) {
            problems.add(line, where + ": a task in the tasks list has no task_id");
            return;
        }
        String taskId = YamlValues.plain(id.value()).toString();
        YamlMap task = YamlMap.of(mapping, where + ", task '" + taskId + "': key", problems);
        Integer first = lines.get(taskId);
        if (first != null) {
            problems.add(id.line(), where + ": task '" + taskId + "' is defined twice (first on line " + first + ")");
            return;
        }
        taskMaps.put(taskId, task.without("task_id"));
        lines.put(taskId, id.line());
    }

    private static void checkCycles(String dagId, List<TaskSpec> tasks, Problems problems) {
        Map<String, List<String>> upstreamOf = new LinkedHashMap<>();
        tasks.forEach(task -> upstreamOf.put(task.taskId(), task.upstream()));
        CycleFinder.find(upstreamOf).ifPresent(cycle -> {
            int line = tasks.stream()
                    .filter(t -> t.taskId().equals(cycle.getFirst()))
                    .findFirst()
                    .map(TaskSpec::line)
                    .orElse(1);
            problems.add(line, "DAG '" + dagId + "': cycle in task dependencies: " + String.join(" -> ", cycle));
        });
    }

    /** Whether {@code entry} of a DAG's merged default_args came from what DAGs share (same key, same place). */
    private static boolean isShared(YamlMap shared, YamlMap.Entry entry) {
        YamlMap.Entry inShared = shared.get(entry.key());
        return inShared != null && inShared.line() == entry.line();
    }
}
