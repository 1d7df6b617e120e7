package dev.gust.core.dag.load;

import dev.gust.core.dag.model.XComReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dag-factory's TaskFlow form of a task: {@code decorator: airflow.decorators.task} with a
 * {@code python_callable} (or {@code python_callable_name} + {@code _file}), whose other keys are
 * the function's keyword arguments, each a value or another task's output written {@code +task}
 * or {@code +task['key']} (a key that task pushed, e.g. with {@code multiple_outputs}). It is
 * the {@code python} operator: keyword arguments go to {@code op_kwargs}, a task's output as an
 * {@link XComReference} marker, and a referenced task becomes an upstream. dag-factory tells
 * keyword arguments from task settings by the function's signature; Gust never imports the
 * function, so every key that is not a task setting or an argument of the operator is one.
 */
final class TaskFlowForm {

    static final String DECORATOR = "decorator";
    /** The Gust operator a TaskFlow task runs as. */
    static final String OPERATOR = "python";
    /** The decorator's own argument: a returned dict is pushed one XCom per key. */
    static final String MULTIPLE_OUTPUTS = "multiple_outputs";

    /** The decorator paths that mean Airflow's plain {@code @task} (and {@code @task.python}). */
    private static final Set<String> PYTHON_TASK = Set.of(
            "airflow.decorators.task",
            "airflow.decorators.python_task",
            "airflow.decorators.task.python",
            "airflow.sdk.task",
            "airflow.sdk.task.python",
            "airflow.sdk.definitions.decorators.task",
            "airflow.sdk.definitions.decorators.task.python");

    private static final List<String> DECORATOR_MODULES =
            List.of("airflow.decorators.", "airflow.sdk.definitions.decorators.", "airflow.sdk.");

    /** dag-factory's reference to another task's output (its own pattern: word characters, an optional ['key']). */
    private static final Pattern REFERENCE = Pattern.compile("^\\+(?<task>\\w+)(\\[['\"](?<key>.*)['\"]])?$");

    /** Another task's output, by the task's name in the file and the XCom key (null: the return value). */
    record Reference(String task, String key) {}

    private TaskFlowForm() {}

    /** Whether {@code decorator} is Airflow's plain {@code @task}, which runs as the {@code python} operator. */
    static boolean isPythonTask(String decorator) {
        return PYTHON_TASK.contains(decorator);
    }

    /**
     * Why a decorator that is not the plain {@code @task} cannot be used, as the end of a message
     * about it: one of Airflow's other decorators ({@code @task.bash}, {@code @task.branch} ...)
     * that Gust does not run yet, or an unknown one.
     */
    static String refusal(String decorator) {
        for (String module : DECORATOR_MODULES) {
            if (decorator.startsWith(module)) {
                String rest = decorator.substring(module.length());
                String kind = rest.startsWith("task.")
                        ? " (@task." + rest.substring("task.".length()) + ")"
                        : rest.endsWith("_task") ? " (@task." + rest.substring(0, rest.length() - 5) + ")" : "";
                return "'" + decorator + "'" + kind + " is not supported yet; Gust runs only"
                        + " 'airflow.decorators.task' (@task) as a decorator: use it, or an operator"
                        + " (e.g. 'operator: bash' for @task.bash)";
            }
        }
        return "'" + decorator + "' is not a decorator Gust knows; use 'airflow.decorators.task' (@task)";
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
