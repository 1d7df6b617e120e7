package dev.gust.core.dag.warnings;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds bash commands (a bash task's {@code bash_command} and {@code env} values) that put what a
 * run's conf controls ({@code params}, {@code conf}, {@code dag_run.conf}, and loop or
 * {@code set} variables taken from them) into the command without the {@code shell_quote}
 * ({@code sh}) filter: whoever may trigger the DAG could then run any command as the worker.
 * A param declared with a JSON Schema type of only integer, number, boolean or null is safe as
 * it is: every run's value was checked against it. A heuristic over the template text, never a
 * parse of Jinja: it may warn about an expression that happens to be safe, which {@code | sh}
 * (or {@code | int}) silences.
 */
public final class UnquotedShellTemplates {

    public static final String WARNING_TYPE = "unquoted shell interpolation";

    private static final Pattern STATEMENT = Pattern.compile("-?\\s*(for|set)\\s+(.*?)-?", Pattern.DOTALL);
    private static final Pattern DAG_RUN_CONF = Pattern.compile("\\bdag_run\\s*(\\.\\s*conf\\b|\\[\\s*['\"]conf['\"])");
    private static final Pattern SAFE_PARAM_REFERENCE = Pattern.compile(
            "(?<![\\w.])params\\s*(?:\\.\\s*(\\w+)\\b(?!\\s*[.\\[(])|\\[\\s*['\"](\\w+)['\"]\\s*](?!\\s*[.\\[(]))");
    /** Filters after which nothing a shell would read specially can remain. */
    private static final Set<String> QUOTING_FILTERS = Set.of("sh", "shell_quote", "int", "float", "length", "count");

    private static final int SHOWN = 3;
    private static final Set<String> SAFE_TYPES = Set.of("integer", "number", "boolean", "null");

    private UnquotedShellTemplates() {}

    /** The warning for {@code dag}, if any of its bash commands interpolates the conf unquoted. */
    public static Optional<DagWarning> check(Dag dag) {
        Set<String> safe = safeParams(dag);
        List<String> found = new ArrayList<>();
        for (TaskSpec task : dag.tasks()) {
            if (!task.operator().equals("bash")) {
                continue;
            }
            if (task.args().get("bash_command") instanceof String command) {
                unquoted(command, safe)
                        .forEach(e -> found.add("task '" + task.taskId() + "' bash_command: {{" + e + "}}"));
            }
            if (task.args().get("env") instanceof Map<?, ?> env) {
                env.forEach((name, value) -> {
                    if (value instanceof String text) {
                        unquoted(text, safe)
                                .forEach(
                                        e -> found.add("task '" + task.taskId() + "' env." + name + ": {{" + e + "}}"));
                    }
                });
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String shown = String.join("; ", found.subList(0, Math.min(SHOWN, found.size())))
                + (found.size() > SHOWN ? "; and " + (found.size() - SHOWN) + " more" : "");
        return Optional.of(new DagWarning(
                dag.dagId(),
                WARNING_TYPE,
                "a bash command puts a value a run's conf "
                        + "controls into the shell unquoted, so whoever triggers the DAG can run commands (" + shown
                        + "); quote it with the sh filter, e.g. {{ params.name | sh }}"));
    }

    /** Params whose schema admits only numbers, booleans or null: nothing a shell reads specially. */
    private static Set<String> safeParams(Dag dag) {
        Set<String> safe = new LinkedHashSet<>();
        dag.paramSchemas().forEach((name, schema) -> {
            Object type = schema.get("type");
            List<?> types = type instanceof List<?> list ? list : type == null ? List.of() : List.of(type);
            if (!types.isEmpty() && types.stream().allMatch(t -> SAFE_TYPES.contains(String.valueOf(t)))) {
                safe.add(name);
            }
        });
        return safe;
    }

    static List<String> unquoted(String template) {
        return unquoted(template, Set.of());
    }

    /**
     * The expressions (without braces) of {@code template} that interpolate a tainted value
     * unquoted; {@code params.x} of a param in {@code safeParams} is not tainted.
     */
    static List<String> unquoted(String template, Set<String> safeParams) {
        Set<String> tainted = new LinkedHashSet<>(List.of("params", "conf"));
        for (String tag : between(template, "{%", "%}")) {
            Matcher statement = STATEMENT.matcher(tag);
            if (!statement.matches()) {
                continue;
            }
            String body = statement.group(2);
            String bound = statement.group(1).equals("for") ? before(body, " in ") : before(body, "=");
            if (!bound.isBlank() && references(body.substring(bound.length()), tainted)) {
                for (String name : bound.split(",")) {
                    if (!name.isBlank()) {
                        tainted.add(name.strip());
                    }
                }
            }
        }
        List<String> found = new ArrayList<>();
        for (String text : between(template, "{{", "}}")) {
            if (references(withoutSafeParams(text, safeParams), tainted) && !quoted(text)) {
                found.add(text);
            }
        }
        return found;
    }

    /** The texts between each {@code open} and the next {@code close}, in one pass (a regex could go quadratic). */
    private static List<String> between(String template, String open, String close) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = template.indexOf(open, from);
            if (start < 0) {
                return parts;
            }
            int end = template.indexOf(close, start + open.length());
            if (end < 0) {
                return parts;
            }
            parts.add(template.substring(start + open.length(), end));
            from = end + close.length();
        }
    }

    private static String withoutSafeParams(String expression, Set<String> safeParams) {
        if (safeParams.isEmpty()) {
            return expression;
        }
        Matcher param = SAFE_PARAM_REFERENCE.matcher(expression);
        StringBuilder kept = new StringBuilder();
        while (param.find()) {
            String name = param.group(1) != null ? param.group(1) : param.group(2);
            param.appendReplacement(kept, safeParams.contains(name) ? "0" : Matcher.quoteReplacement(param.group()));
        }
        return param.appendTail(kept).toString();
    }

    private static String before(String text, String separator) {
        int at = text.indexOf(separator);
        return at < 0 ? "" : text.substring(0, at);
    }

    private static boolean references(String expression, Set<String> names) {
        if (DAG_RUN_CONF.matcher(expression).find()) {
            return true;
        }
        for (String name : names) {
            if (Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\b")
                    .matcher(expression)
                    .find()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the expression's own filter chain (top level, outside brackets and quotes) quotes it. */
    private static boolean quoted(String expression) {
        List<String> filters = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = -1;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == '|' && depth == 0) {
                if (start >= 0) {
                    filters.add(expression.substring(start, i));
                }
                start = i + 1;
            }
        }
        if (start >= 0) {
            filters.add(expression.substring(start));
        }
        for (String filter : filters) {
            String call = filter.strip();
            String name = call.split("[\\s(]", 2)[0];
            if (QUOTING_FILTERS.contains(name)) {
                return true;
            }
            if (name.equals("map") && call.matches("map\\s*\\(\\s*['\"](sh|shell_quote)['\"].*")) {
                return true;
            }
        }
        return false;
    }
}
