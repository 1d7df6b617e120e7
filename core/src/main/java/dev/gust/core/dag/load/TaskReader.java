package dev.gust.core.dag.load;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskDoc;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TriggerRule;
import dev.gust.core.dag.model.WeightRule;
import dev.gust.core.dag.model.XComReference;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.core.mapping.TaskExpansion;
import dev.gust.core.text.NameSuggester;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one task of a DAG: resolves its operator in the catalog, applies {@code default_args}
 * (the task's own keys win), checks that every key is a task setting or an argument of its
 * operator and that required arguments are there, and builds the {@link TaskSpec}.
 */
final class TaskReader {

    static final Set<String> TASK_KEYS = taskKeys(
            "operator",
            "task_id",
            "dependencies",
            "retries",
            "retry_delay",
            "retry_delay_sec",
            "retry_exponential_backoff",
            "max_retry_delay",
            "execution_timeout",
            "execution_timeout_secs",
            "pool",
            "pool_slots",
            "priority_weight",
            "weight_rule",
            "trigger_rule",
            "owner",
            "depends_on_past",
            "ignore_first_depends_on_past",
            "wait_for_downstream",
            "expand",
            "expand_kwargs",
            "partial",
            "max_active_tis_per_dag",
            "max_active_tis_per_dagrun",
            "map_index_template",
            "executor_config",
            // documentation, read by doc()
            "doc_md",
            "doc",
            "doc_rst",
            "doc_json",
            "doc_yaml",
            "task_group_name",
            // merged over the DAG's params, as Airflow does
            "params",
            // datasets: a success records an event per outlet; inlets are recorded only
            "outlets",
            "inlets",
            // Airflow 2's task SLA (dag-factory's sla_secs in seconds), checked by the scheduler
            "sla",
            "sla_secs");

    /** The keys above, every callback key ({@link CallbackReader}) and the e-mail settings it reads. */
    private static Set<String> taskKeys(String... keys) {
        Set<String> all = new LinkedHashSet<>(List.of(keys));
        all.addAll(CallbackReader.keys(CallbackEvent.TASK_EVENTS));
        all.addAll(CallbackReader.EMAIL_KEYS);
        return Set.copyOf(all);
    }

    /** Task keys read from the task alone: in default_args they would apply to no task. */
    static final Set<String> OWN_ONLY_KEYS = Set.of("task_id", "dependencies", "expand", "expand_kwargs", "partial");

    /** dag-factory's references to an upstream's output in {@code expand}: {@code +task} and {@code task.output}. */
    private static final Pattern OUTPUT_REFERENCE =
            Pattern.compile("^(?:\\+(?<plus>[\\w.]+)(\\[['\"](?<key>.*)['\"]])?|(?<dotted>[\\w.]+)\\.output)$");

    /** What {@code executor_config} may set: the ECS executor's per-task overrides. */
    private static final Set<String> EXECUTOR_CONFIG_KEYS = Set.of("cpu", "memory", "env");

    /**
     * dag-factory's keys that give a duration in seconds for an operator argument that takes a
     * duration (Airflow's ExternalTaskSensor's {@code execution_delta}).
     */
    private static final Map<String, String> SECONDS_ARGS = Map.of("execution_delta_secs", "execution_delta");

    private final OperatorCatalog catalog;
    private final FieldReader dagFields;
    private final YamlMap defaultArgs;
    private final ZoneId zone;
    private final Set<String> ignored;
    private final PythonCallables callables;
    private FieldReader fields;

    /**
     * Reads tasks of the DAG {@code dagFields} reads; operator arguments' dates are read in
     * {@code zone}; settings accepted without effect ({@link IgnoredSettings}) are added to {@code ignored};
     * Python tasks' callables are checked and their files resolved by {@code callables}.
     */
    TaskReader(
            OperatorCatalog catalog,
            FieldReader dagFields,
            YamlMap defaultArgs,
            ZoneId zone,
            Set<String> ignored,
            PythonCallables callables) {
        this.catalog = catalog;
        this.dagFields = dagFields;
        this.defaultArgs = defaultArgs;
        this.zone = zone;
        this.ignored = ignored;
        this.callables = callables;
    }

    /**
     * The task named {@code taskId} in the file, with the id, group and upstream ids {@code
     * placement} gives it; when it has problems they are recorded and the DAG will not load, but
     * the task is still returned so the dependency checks can report problems of other tasks.
     */
    TaskSpec read(String taskId, int line, YamlMap written, TaskPlacer.Placement placement) {
        fields = dagFields.in("task '" + taskId + "'", defaultArgs);
        YamlMap own = withPartial(written);
        YamlMap.Entry decorator = own.get(TaskFlowForm.DECORATOR);
        TaskFlowForm taskFlow = decorator == null ? null : new TaskFlowForm(catalog, fields, zone);
        YamlMap settings = own;
        OperatorDefinition operator;
        if (taskFlow != null) {
            operator = taskFlow.operator(decorator, own);
            settings = taskFlow.settings(own, operator, placement.taskIds());
        } else {
            operator = operator(taskId, line, own);
        }
        if (operator != null) {
            checkKeys(taskId, settings, operator);
        }
        Map<String, Object> args = operator == null ? Map.of() : args(taskId, settings, operator);
        Map<String, Object> expand =
                operator == null ? null : expand(taskId, settings, operator, placement, taskFlow != null);
        List<String> upstream = new ArrayList<>(placement.upstream());
        if (expand != null) {
            // the task whose output is mapped over runs first, as Airflow makes an XComArg's task an upstream
            expand.values().stream()
                    .map(TaskExpansion::reference)
                    .flatMap(Optional::stream)
                    .map(XComReference::taskId)
                    .filter(id -> !upstream.contains(id))
                    .forEach(upstream::add);
        }
        if (operator != null && taskFlow != null) {
            taskFlow.addArgs(own, operator, entry(own, "op_kwargs"), args);
            if (expand != null && args.get("op_kwargs") instanceof Map<?, ?> fixed) {
                fixed.keySet().stream()
                        .filter(name -> expand.containsKey(TaskExpansion.KEYWORD_ARGUMENT + name))
                        .forEach(name -> fields.problem(
                                line,
                                fields.where() + ": argument '" + name + "' is both fixed and mapped (expand);"
                                        + " Airflow takes each argument once: keep it in one of them"));
            }
        }
        if (operator != null) {
            checkRequired(taskId, line, operator, args, expand);
            if (operator.argumentNames().contains(PythonCallables.FILE)) {
                callables.resolve(
                        args,
                        fields,
                        key -> entry(own, key) == null ? line : entry(own, key).line());
            }
        }
        boolean dependsOnPast = fields.read(entry(own, "depends_on_past"), YamlValues::bool, false);
        boolean waitForDownstream = fields.read(entry(own, "wait_for_downstream"), YamlValues::bool, false);
        return new TaskSpec(
                placement.taskId(),
                operator == null ? "unknown" : operator.name(),
                args,
                upstream,
                fields.atLeast(entry(own, "retries"), 0, 0),
                duration(own, "retry_delay", "retry_delay_sec", TaskSpec.DEFAULT_RETRY_DELAY),
                fields.read(entry(own, "retry_exponential_backoff"), YamlValues::bool, false),
                duration(own, "max_retry_delay", null, null),
                duration(own, "execution_timeout", "execution_timeout_secs", null),
                fields.read(entry(own, "pool"), YamlValues::string, TaskSpec.DEFAULT_POOL),
                fields.atLeast(entry(own, "pool_slots"), 1, 1),
                fields.read(entry(own, "priority_weight"), YamlValues::integer, 1),
                fields.read(entry(own, "weight_rule"), TaskReader::weightRule, WeightRule.DOWNSTREAM),
                fields.read(entry(own, "trigger_rule"), TaskReader::triggerRule, TriggerRule.ALL_SUCCESS),
                fields.read(entry(own, "owner"), YamlValues::string, null),
                // Airflow's BaseOperator: wait_for_downstream turns depends_on_past on.
                dependsOnPast || waitForDownstream,
                failureCallback(own),
                expand,
                line,
                // Airflow's default since 2.3 (scheduler.ignore_first_depends_on_past_by_default).
                fields.read(entry(own, "ignore_first_depends_on_past"), YamlValues::bool, true),
                waitForDownstream,
                doc(taskId, own),
                placement.taskGroupId(),
                params(own),
                fields.read(entry(own, "outlets"), DatasetReader::outletUris, List.of()),
                fields.read(entry(own, "inlets"), DatasetReader::uris, List.of()),
                positive(own, "max_active_tis_per_dag"),
                positive(own, "max_active_tis_per_dagrun"),
                new CallbackReader(fields, callables).task(own, defaultArgs),
                fields.read(entry(own, "map_index_template"), YamlValues::string, null),
                fields.read(entry(own, "outlets"), DatasetReader::outletAliases, List.of()),
                duration(own, "sla", "sla_secs", null));
    }

    /** A limit of 1 or more, or null when the task (or its default_args) sets none. */
    private Integer positive(YamlMap own, String key) {
        YamlMap.Entry entry = entry(own, key);
        return entry == null ? null : fields.atLeast(entry, 1, 1);
    }

    /**
     * The task as written with dag-factory's {@code partial} (the arguments and settings every
     * mapped instance gets) laid under its other keys, as if written on the task.
     */
    private YamlMap withPartial(YamlMap written) {
        YamlMap.Entry partial = written.get("partial");
        if (partial == null) {
            return written;
        }
        if (partial.value() instanceof MappingNode partialMap) {
            return YamlMap.of(partialMap, "partial argument", fields.problems())
                    .overriddenBy(written.without("partial"));
        }
        fields.problem(
                partial.line(),
                fields.where() + ": partial must map argument names to values, e.g. 'partial: {env: {A: b}}'");
        return written.without("partial");
    }

    /**
     * The task's own params over those of its default_args, key by key (Airflow merges
     * {@code default_args}' params under the task's, and both over the DAG's); null when neither
     * sets any. A param written as Airflow's {@code Param} counts with its default.
     */
    private Map<String, Object> params(YamlMap own) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (YamlMap map : List.of(defaultArgs, own)) {
            YamlMap.Entry entry = map.get("params");
            Map<String, Object> params = fields.read(entry, YamlValues::mapping, Map.of());
            if (!params.isEmpty()) {
                // a task's params are checked against their schemas; only the DAG's are checked against a run's conf
                String where = map == own ? fields.where() : dagFields.where() + ", default_args";
                merged.putAll(ParamsReader.read(where, params, new Schedule.None(), entry.line(), fields.problems())
                        .defaults());
            }
        }
        return merged.isEmpty() ? null : merged;
    }

    /**
     * The task's documentation: one of Airflow's doc arguments, the task's own, else one from
     * default_args (a task documenting itself replaces the shared text rather than adding to it).
     */
    private TaskDoc doc(String taskId, YamlMap own) {
        TaskDoc doc = doc(taskId, own, "");
        return doc != null ? doc : doc(taskId, defaultArgs, "default_args of ");
    }

    private TaskDoc doc(String taskId, YamlMap map, String where) {
        List<YamlMap.Entry> set = TaskDoc.KEYS.stream()
                .map(map::get)
                .filter(e -> e != null && !YamlValues.isNull(e.value()))
                .toList();
        if (set.size() > 1) {
            fields.problem(
                    set.get(1).line(),
                    where + "task '" + taskId + "' sets both " + set.get(0).key() + " and "
                            + set.get(1).key() + "; keep one documentation key");
            return null;
        }
        if (set.isEmpty()) {
            return null;
        }
        String text = fields.read(set.getFirst(), YamlValues::string, null);
        return text == null ? null : new TaskDoc(set.getFirst().key(), text);
    }

    /** The task's own key, else the one from default_args. */
    private YamlMap.Entry entry(YamlMap own, String key) {
        YamlMap.Entry entry = own.get(key);
        return entry != null ? entry : defaultArgs.get(key);
    }

    /**
     * The duration under {@code key} or its seconds-only spelling {@code secondsKey} (dag-factory's
     * {@code retry_delay_sec}, {@code execution_timeout_secs}), the task's own before default_args'.
     */
    private Duration duration(YamlMap own, String key, String secondsKey, Duration fallback) {
        YamlMap.Entry entry = own.first(key, secondsKey == null ? key : secondsKey);
        if (entry == null) {
            entry = defaultArgs.first(key, secondsKey == null ? key : secondsKey);
        }
        if (secondsKey != null) {
            bothSpellings(own, key, secondsKey, fields.where());
            bothSpellings(defaultArgs, key, secondsKey, dagFields.where() + ", default_args");
        }
        return fields.read(entry, node -> DurationParser.parse(YamlValues.plain(node)), fallback);
    }

    private void bothSpellings(YamlMap map, String key, String secondsKey, String where) {
        if (map.has(key) && map.has(secondsKey)) {
            fields.problem(
                    map.get(secondsKey).line(),
                    where + ": sets both '" + key + "' and '" + secondsKey + "' (the same setting in seconds);"
                            + " keep only '" + key + "'");
        }
    }

    private OperatorDefinition operator(String taskId, int line, YamlMap own) {
        YamlMap.Entry entry = entry(own, "operator");
        YamlMap.Entry pythonKey = own.first(NeedsPython.CALLABLE_TASK_KEYS);
        if (entry == null && pythonKey != null) {
            fields.problem(
                    pythonKey.line(),
                    catalog.find(TaskFlowForm.OPERATOR).isPresent()
                            ? fields.where() + " has '" + pythonKey.key() + "' but no operator; add 'operator: "
                                    + TaskFlowForm.OPERATOR + "' (or 'decorator: airflow.decorators.task')"
                            : NeedsPython.message(
                                    fields.where(), pythonKey.key(), NeedsPython.taskKey(pythonKey.key())));
            return null;
        }
        if (entry == null) {
            fields.problem(
                    line,
                    fields.where() + " has no operator; add e.g. 'operator: bash' (known operators: "
                            + String.join(", ", catalog.names()) + ")");
            return null;
        }
        String name = fields.read(entry, YamlValues::string, null);
        if (name == null) {
            return null;
        }
        OperatorDefinition definition = catalog.find(name).orElse(null);
        if (definition == null && NeedsPython.operator(name)) {
            fields.problem(
                    entry.line(),
                    fields.where() + ": operator '" + name + "' runs a Python callable; this needs Python: "
                            + NeedsPython.WHAT_TO_DO);
        } else if (definition == null) {
            fields.problem(
                    entry.line(),
                    fields.where() + " uses unknown operator '" + name
                            + "'; known operators: " + String.join(", ", catalog.names())
                            + " (or their Airflow class paths)" + NameSuggester.hint(name, catalog.names()));
        }
        return definition;
    }

    private void checkKeys(String taskId, YamlMap own, OperatorDefinition operator) {
        Set<String> operatorArgs = operator.argumentNames();
        for (YamlMap.Entry entry : own.entries()) {
            String key = entry.key();
            if (TASK_KEYS.contains(key) || operatorArgs.contains(key) || takesSeconds(operator, key)) {
                continue;
            }
            if (IgnoredSettings.isOne(key)) {
                String warning = IgnoredSettings.warning(fields.where(), key, defaultArgs.overriddenBy(own));
                if (warning != null) {
                    ignored.add(warning);
                }
                continue;
            }
            String refusal = refusal(fields.where(), entry);
            if (refusal != null) {
                fields.problem(entry.line(), refusal);
                continue;
            }
            Set<String> known = new LinkedHashSet<>(operatorArgs);
            known.addAll(TASK_KEYS);
            fields.problem(
                    entry.line(),
                    fields.where() + ": unknown argument '" + key + "' for operator '" + operator.name() + "'"
                            + NameSuggester.hint(key, known));
        }
    }

    /** Whether {@code key} is the seconds spelling of an argument {@code operator} takes. */
    static boolean takesSeconds(OperatorDefinition operator, String key) {
        String target = SECONDS_ARGS.get(key);
        return target != null && operator.argumentNames().contains(target);
    }

    /**
     * Why a key that is neither a task setting nor an operator's argument is refused, when it is
     * a known one that needs Python. Null for an unknown key.
     */
    static String refusal(String where, YamlMap.Entry entry) {
        String key = entry.key();
        String python = NeedsPython.taskKey(key);
        if (python != null) {
            return NeedsPython.message(where, key, python);
        }
        return null;
    }

    /** Operator arguments from default_args and the task, under their canonical names. */
    private Map<String, Object> args(String taskId, YamlMap own, OperatorDefinition operator) {
        Set<String> operatorArgs = operator.argumentNames();
        Map<String, Object> args = new LinkedHashMap<>();
        YamlMap merged = defaultArgs.overriddenBy(own);
        for (YamlMap.Entry entry : merged.entries()) {
            if (takesSeconds(operator, entry.key())) {
                String target = SECONDS_ARGS.get(entry.key());
                bothSpellings(merged, target, entry.key(), fields.where());
                if (!merged.has(target)) {
                    args.put(
                            operator.canonicalArg(target),
                            fields.read(
                                    entry,
                                    node -> DurationParser.parse(YamlValues.plain(node))
                                            .toSeconds(),
                                    null));
                }
                continue;
            }
            if (!operatorArgs.contains(entry.key()) || TASK_KEYS.contains(entry.key())) {
                continue;
            }
            String name = operator.canonicalArg(entry.key());
            Object value =
                    fields.read(entry, node -> DagFactoryObjects.plainArgument(YamlValues.plain(node), zone), null);
            Set<String> allowed = operator.allowedValues().get(name);
            if (allowed != null && value != null && !isAllowed(allowed, value)) {
                fields.problem(
                        entry.line(),
                        fields.where() + ": " + entry.key() + " must be one of "
                                + allowed.stream().sorted().collect(Collectors.joining(", ")) + ", got '" + value
                                + "'");
            }
            args.put(name, value);
        }
        YamlMap.Entry executorConfig = entry(own, "executor_config");
        if (executorConfig != null) {
            // carried with the arguments (as Airflow's executor_config is): the ECS executor reads it, operators ignore
            // it
            if (YamlValues.plain(executorConfig.value()) instanceof Map<?, ?> config
                    && EXECUTOR_CONFIG_KEYS.containsAll(config.keySet())
                    && (config.get("env") == null || config.get("env") instanceof Map<?, ?>)) {
                args.put("executor_config", config);
            } else {
                fields.problem(
                        executorConfig.line(),
                        fields.where() + ": executor_config must be a mapping of cpu, "
                                + "memory and env (a mapping), e.g. 'executor_config: {cpu: 512, memory: 1024, env: {K: v}}'");
            }
        }
        return args;
    }

    private static boolean isAllowed(Set<String> allowed, Object value) {
        String text = value.toString();
        if (text.contains("{{")) {
            return true;
        }
        return allowed.stream().anyMatch(a -> a.equalsIgnoreCase(text));
    }

    /**
     * The task's {@code expand} (or {@code expand_kwargs}) as {@link TaskSpec#expand()} keeps it; a
     * TaskFlow task's ({@code taskFlow}) maps its function's keyword arguments, kept under
     * {@link TaskExpansion#KEYWORD_ARGUMENT}.
     */
    private Map<String, Object> expand(
            String taskId, YamlMap own, OperatorDefinition operator, TaskPlacer.Placement placement, boolean taskFlow) {
        YamlMap.Entry entry = own.get("expand");
        YamlMap.Entry kwargs = own.get("expand_kwargs");
        if (entry != null && kwargs != null) {
            fields.problem(
                    kwargs.line(),
                    fields.where() + ": give either expand or expand_kwargs, not both (Airflow allows one)");
            // still mapped, so that its arguments are not also reported as missing
            return java.util.Collections.singletonMap(TaskExpansion.EXPAND_KWARGS, null);
        }
        if (kwargs != null) {
            return java.util.Collections.singletonMap(
                    TaskExpansion.EXPAND_KWARGS, mappedInput(kwargs, "expand_kwargs", placement));
        }
        if (entry == null) {
            return null;
        }
        if (!(entry.value() instanceof MappingNode mapping)) {
            fields.problem(
                    entry.line(),
                    fields.where() + ": expand must map argument names to a list, a mapping "
                            + "or an upstream's output, e.g. 'expand: {bash_command: [\"echo 1\", \"echo 2\"]}'");
            return null;
        }
        YamlMap expandMap = YamlMap.of(mapping, "expand argument", fields.problems());
        Map<String, Object> expand = new LinkedHashMap<>();
        for (YamlMap.Entry arg : expandMap.entries()) {
            if (taskFlow) {
                expand.put(
                        TaskExpansion.KEYWORD_ARGUMENT + arg.key(), mappedInput(arg, "expand." + arg.key(), placement));
                continue;
            }
            if (!operator.argumentNames().contains(arg.key())) {
                fields.problem(
                        arg.line(),
                        fields.where() + ": expand names '" + arg.key()
                                + "', which is not an argument of operator '" + operator.name() + "'"
                                + NameSuggester.hint(arg.key(), operator.argumentNames()));
                continue;
            }
            // kept even when wrong (the problem is recorded), so it is not also reported as missing
            expand.put(operator.canonicalArg(arg.key()), mappedInput(arg, "expand." + arg.key(), placement));
        }
        return expand;
    }

    /**
     * What one mapped input is written as: a list or a mapping as it is, an upstream's output
     * ({@code +task}, {@code task.output}, {@code +task['key']}) as its {@link XComReference} marker,
     * a template pulling an XCom as it is; null (with a problem recorded) otherwise.
     */
    private Object mappedInput(YamlMap.Entry entry, String what, TaskPlacer.Placement placement) {
        Node value = entry.value();
        if (value instanceof SequenceNode || value instanceof MappingNode) {
            return YamlValues.plain(value);
        }
        if (value instanceof ScalarNode scalar) {
            String text = scalar.getValue().strip();
            Matcher reference = OUTPUT_REFERENCE.matcher(text);
            if (reference.matches()) {
                String task = reference.group("plus") != null ? reference.group("plus") : reference.group("dotted");
                String id = placement.taskIds().get(task);
                if (id == null) {
                    fields.problem(
                            entry.line(),
                            fields.where() + ": " + what + " maps over the output of task '" + task
                                    + "', which is not a task of this DAG"
                                    + NameSuggester.hint(
                                            task, placement.taskIds().keySet()));
                    return null;
                }
                return XComReference.of(id, reference.group("key"));
            }
            if (TaskExpansion.reference(text).isPresent()) {
                return text;
            }
        }
        fields.problem(
                entry.line(),
                fields.where() + ": " + what + " must be a list, a mapping or an upstream's output"
                        + " (+task, task.output or \"{{ ti.xcom_pull('task') }}\")");
        return null;
    }

    private void checkRequired(
            String taskId,
            int line,
            OperatorDefinition operator,
            Map<String, Object> args,
            Map<String, Object> expand) {
        if (expand != null && expand.containsKey(TaskExpansion.EXPAND_KWARGS)) {
            // expand_kwargs may give any argument, per instance: the instance that lacks one fails when it runs
            return;
        }
        for (Set<String> alternatives : operator.required()) {
            boolean present = alternatives.stream()
                    .anyMatch(a -> args.get(a) != null || (expand != null && expand.containsKey(a)));
            if (!present) {
                List<String> names = new ArrayList<>(alternatives);
                String what = names.size() == 1
                        ? "is missing required argument '" + names.getFirst() + "'"
                        : "needs one of the arguments "
                                + names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(" or "));
                fields.problem(line, fields.where() + " (operator '" + operator.name() + "') " + what);
            }
        }
    }

    private static WeightRule weightRule(Node node) {
        String text = YamlValues.string(node);
        return WeightRule.fromFileName(text)
                .orElseThrow(() -> new InvalidValue("must be downstream, upstream or absolute, got '" + text + "'"));
    }

    private static TriggerRule triggerRule(Node node) {
        String text = YamlValues.string(node);
        return TriggerRule.fromFileName(text)
                .orElseThrow(() -> new InvalidValue(
                        "'" + text + "' is not valid; valid trigger rules are " + TriggerRule.validNames()));
    }

    /**
     * The failure callback's webhook URL when it is written as one (kept for readers of the older
     * field); the callback itself is in the task's callbacks, read by {@link CallbackReader}.
     */
    private String failureCallback(YamlMap own) {
        YamlMap.Entry entry = entry(own, "on_failure_callback");
        Object value = entry == null ? null : YamlValues.plain(entry.value());
        return NeedsPython.isWebhook(value) ? value.toString().trim() : null;
    }
}
