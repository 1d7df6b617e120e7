package dev.gust.core.dag.load;

import dev.gust.core.dag.model.XComReference;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDefinition;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dag-factory's TaskFlow form of a task: {@code decorator: airflow.decorators.task} with a
 * {@code python_callable} (or {@code python_callable_name} + {@code _file}), whose other keys are
 * the function's keyword arguments, each a value or another task's output written {@code +task}
 * or {@code +task['key']} (a key that task pushed, e.g. with {@code multiple_outputs}). It is
 * the {@code python} operator ({@code @task.branch}, {@code @task.short_circuit},
 * {@code @task.sensor}, {@code @task.virtualenv} and {@code @task.bash} the {@code branch_python},
 * {@code short_circuit}, {@code python_sensor}, {@code python_virtualenv} and {@code bash_decorated}
 * operators): keyword arguments go to {@code op_kwargs}, a task's output as an
 * {@link XComReference} marker, and a referenced task becomes an upstream. dag-factory tells
 * keyword arguments from task settings by the function's signature; Gust never imports the
 * function, so every key that is not a task setting or an argument of the operator is one.
 * Mapped ({@code expand}, with {@code partial}), each instance calls the function with its element
 * as the keyword argument {@code expand} names (see {@link dev.gust.core.mapping.TaskExpansion#KEYWORD_ARGUMENT}).
 * An instance reads one task, for {@link TaskReader}, which reads the settings as for any task.
 */
final class TaskFlowForm {

    static final String DECORATOR = "decorator";
    /** The Gust operator a plain {@code @task} runs as. */
    static final String OPERATOR = "python";
    /** The decorator's own argument: a returned dict is pushed one XCom per key. */
    static final String MULTIPLE_OUTPUTS = "multiple_outputs";

    private static final List<String> DECORATOR_MODULES =
            List.of("airflow.decorators.", "airflow.sdk.definitions.decorators.", "airflow.sdk.");

    /**
     * The Gust operator each of Airflow's decorators Gust runs stands for, by its kind: the
     * {@code x} of {@code @task.x} (empty for the plain {@code @task}).
     */
    private static final Map<String, String> OPERATOR_OF_KIND = Map.of(
            "", OPERATOR,
            "python", OPERATOR,
            "branch", "branch_python",
            "short_circuit", "short_circuit",
            "sensor", "python_sensor",
            "virtualenv", "python_virtualenv",
            "bash", "bash_decorated");

    /** dag-factory's reference to another task's output (its own pattern: word characters, an optional ['key']). */
    private static final Pattern REFERENCE = Pattern.compile("^\\+(?<task>\\w+)(\\[['\"](?<key>.*)['\"]])?$");

    /** Another task's output, by the task's name in the file and the XCom key (null: the return value). */
    record Reference(String task, String key) {}

    private final OperatorCatalog catalog;
    private final FieldReader fields;
    private final ZoneId zone;
    /** The function's keyword arguments, as {@link #settings} found them. */
    private final Map<String, Object> keywordArgs = new LinkedHashMap<>();

    /** Reads one TaskFlow task, whose problems go to {@code fields}; dates in its arguments are read in {@code zone}. */
    TaskFlowForm(OperatorCatalog catalog, FieldReader fields, ZoneId zone) {
        this.catalog = catalog;
        this.fields = fields;
        this.zone = zone;
    }

    /**
     * The operator a TaskFlow task runs as ({@code python} for {@code @task}, {@code branch_python}
     * for {@code @task.branch}, {@code short_circuit} for {@code @task.short_circuit},
     * {@code python_sensor} for {@code @task.sensor}, {@code python_virtualenv} for
     * {@code @task.virtualenv}, {@code bash_decorated} for {@code @task.bash}), or null (with a problem) when its decorator
     * is another one, when it also names an operator, or when that operator is not installed.
     */
    OperatorDefinition operator(YamlMap.Entry decorator, YamlMap own) {
        String path = fields.read(decorator, YamlValues::string, null);
        if (path == null) {
            return null;
        }
        if (own.has("operator")) {
            fields.problem(
                    own.get("operator").line(),
                    fields.where() + " sets both 'operator' and 'decorator'; keep one (a decorator task runs its"
                            + " python_callable)");
            return null;
        }
        String name = operatorOf(path.trim()).orElse(null);
        if (name == null) {
            fields.problem(decorator.line(), fields.where() + ": decorator " + refusal(path.trim()));
            return null;
        }
        OperatorDefinition operator = catalog.find(name).orElse(null);
        if (operator == null) {
            fields.problem(
                    decorator.line(),
                    NeedsPython.message(fields.where(), decorator.key(), NeedsPython.taskKey(decorator.key())));
        }
        return operator;
    }

    /**
     * The keys of a TaskFlow task that are task settings or arguments of its operator; the
     * others are the function's keyword arguments, kept for {@link #addArgs} (another task's output
     * as its {@link XComReference} marker, by the Airflow ids of {@code taskIds}).
     */
    YamlMap settings(YamlMap own, OperatorDefinition operator, Map<String, String> taskIds) {
        YamlMap settings = own.without(DECORATOR).without(MULTIPLE_OUTPUTS);
        if (own.has("expand_kwargs")) {
            fields.problem(
                    own.get("expand_kwargs").line(),
                    fields.where() + ": 'expand_kwargs' of a decorator task is not supported; map its function's"
                            + " arguments with 'expand: {argument: [...]}' (and fix others with 'partial')");
            settings = settings.without("expand_kwargs");
        }
        if (operator == null) {
            return YamlMap.empty(own.line());
        }
        for (YamlMap.Entry entry : own.entries()) {
            String key = entry.key();
            boolean setting = TaskReader.TASK_KEYS.contains(key)
                    || operator.argumentNames().contains(key)
                    || TaskReader.takesSeconds(operator, key)
                    || IgnoredSettings.isOne(key)
                    || TaskReader.refusal(fields.where(), entry) != null
                    || key.equals(DECORATOR)
                    || key.equals(MULTIPLE_OUTPUTS)
                    || key.equals("partial");
            if (!setting) {
                Object value =
                        fields.read(entry, node -> DagFactoryObjects.plainArgument(YamlValues.plain(node), zone), null);
                keywordArgs.put(key, keywordArgument(value, taskIds));
                settings = settings.without(key);
            }
        }
        return settings;
    }

    /**
     * Adds to the operator's {@code args} the function's keyword arguments, merged over the
     * {@code op_kwargs} the task writes ({@code opKwargs}, or null), and {@code multiple_outputs}.
     */
    void addArgs(YamlMap own, OperatorDefinition operator, YamlMap.Entry opKwargs, Map<String, Object> args) {
        Object written = args.get("op_kwargs");
        if (written != null && !(written instanceof Map<?, ?>)) {
            fields.problem(
                    opKwargs.line(),
                    fields.where() + ": op_kwargs must be a mapping of keyword arguments, got '" + written + "'");
            return;
        }
        if (!keywordArgs.isEmpty()) {
            Map<String, Object> kwargs = new LinkedHashMap<>();
            if (written instanceof Map<?, ?> map) {
                map.forEach((k, v) -> kwargs.put(String.valueOf(k), v));
            }
            kwargs.putAll(keywordArgs);
            args.put("op_kwargs", kwargs);
        }
        Boolean multipleOutputs = fields.read(own.get(MULTIPLE_OUTPUTS), YamlValues::bool, null);
        if (multipleOutputs == null) {
            return;
        }
        if (operator.argumentNames().contains(MULTIPLE_OUTPUTS)) {
            args.put(MULTIPLE_OUTPUTS, multipleOutputs);
        } else if (multipleOutputs) {
            fields.problem(
                    own.get(MULTIPLE_OUTPUTS).line(),
                    fields.where() + ": multiple_outputs applies only to a plain @task ('airflow.decorators.task')"
                            + " and @task.virtualenv; remove it from this task");
        }
    }

    /** The Gust operator {@code decorator} (one of Airflow's, by its path) runs as, when Gust runs it. */
    static Optional<String> operatorOf(String decorator) {
        String kind = kind(decorator);
        return kind == null ? Optional.empty() : Optional.ofNullable(OPERATOR_OF_KIND.get(kind));
    }

    /**
     * The kind of one of Airflow's decorators, {@code x} for {@code @task.x} written
     * {@code <module>task.x} or {@code <module>x_task} ({@code ""} for the plain {@code @task});
     * null for a path outside Airflow's decorator modules.
     */
    private static String kind(String decorator) {
        for (String module : DECORATOR_MODULES) {
            if (decorator.startsWith(module)) {
                String rest = decorator.substring(module.length());
                if (rest.equals("task")) {
                    return "";
                }
                if (rest.startsWith("task.")) {
                    return rest.substring("task.".length());
                }
                return rest.endsWith("_task") ? rest.substring(0, rest.length() - "_task".length()) : null;
            }
        }
        return null;
    }

    /**
     * Why a decorator Gust does not run cannot be used, as the end of a message about it: one of
     * Airflow's other decorators ({@code @task.docker}, {@code @task.kubernetes} ...) that Gust
     * does not run yet, or an unknown one.
     */
    static String refusal(String decorator) {
        String kind = kind(decorator);
        String supported = " Gust runs @task, @task.branch, @task.short_circuit, @task.sensor, @task.virtualenv"
                + " and @task.bash (e.g. 'airflow.decorators.task.branch')";
        if (kind != null) {
            return "'" + decorator + "'" + (kind.isEmpty() ? "" : " (@task." + kind + ")") + " is not supported yet;"
                    + supported + ": use one of them, or an operator";
        }
        return "'" + decorator + "' is not a decorator Gust knows;" + supported;
    }

    /** The reference {@code value} is, when it is one ({@code +task} or {@code +task['key']}). */
    static Optional<Reference> reference(Object value) {
        if (!(value instanceof String text)) {
            return Optional.empty();
        }
        Matcher matcher = REFERENCE.matcher(text);
        return matcher.matches()
                ? Optional.of(new Reference(matcher.group("task"), matcher.group("key")))
                : Optional.empty();
    }

    /**
     * The references among the keyword arguments of a TaskFlow task ({@code task} as the file
     * writes it), with the key each is under: what makes other tasks its upstreams. Empty for a
     * task of another form.
     */
    static Map<String, Reference> references(YamlMap task) {
        Map<String, Reference> references = new LinkedHashMap<>();
        if (!task.has(DECORATOR)) {
            return references;
        }
        for (YamlMap.Entry entry : task.entries()) {
            if (TaskReader.TASK_KEYS.contains(entry.key()) || entry.key().equals(DECORATOR)) {
                continue;
            }
            reference(YamlValues.plain(entry.value())).ifPresent(ref -> references.put(entry.key(), ref));
        }
        return references;
    }

    /** The keyword argument {@code value} as stored in {@code op_kwargs}: a reference becomes its marker. */
    static Object keywordArgument(Object value, Map<String, String> taskIds) {
        return reference(value)
                .filter(ref -> taskIds.containsKey(ref.task()))
                .<Object>map(ref -> XComReference.of(taskIds.get(ref.task()), ref.key()))
                .orElse(value);
    }
}
