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
 * A heuristic over the template text, never a parse of Jinja: it may warn about an expression
 * that happens to be safe, which {@code | sh} (or {@code | int}) silences.
 */
public final class UnquotedShellTemplates {

    public static final String WARNING_TYPE = "unquoted shell interpolation";

    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern STATEMENT = Pattern.compile("\\{%-?\\s*(for|set)\\s+(.*?)-?%}", Pattern.DOTALL);
    private static final Pattern DAG_RUN_CONF = Pattern.compile("\\bdag_run\\s*(\\.\\s*conf\\b|\\[\\s*['\"]conf['\"])");
    /** Filters after which nothing a shell would read specially can remain. */
    private static final Set<String> QUOTING_FILTERS = Set.of("sh", "shell_quote", "int", "float", "length", "count");
    private static final int SHOWN = 3;

    private UnquotedShellTemplates() {
    }

    /** The warning for {@code dag}, if any of its bash commands interpolates the conf unquoted. */
    public static Optional<DagWarning> check(Dag dag) {
        List<String> found = new ArrayList<>();
        for (TaskSpec task : dag.tasks()) {
            if (!task.operator().equals("bash")) {
                continue;
            }
            if (task.args().get("bash_command") instanceof String command) {
                unquoted(command).forEach(e -> found.add("task '" + task.taskId() + "' bash_command: {{" + e + "}}"));
            }
            if (task.args().get("env") instanceof Map<?, ?> env) {
                env.forEach((name, value) -> {
                    if (value instanceof String text) {
                        unquoted(text).forEach(e -> found.add("task '" + task.taskId() + "' env." + name + ": {{" + e + "}}"));
                    }
                });
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String shown = String.join("; ", found.subList(0, Math.min(SHOWN, found.size())))
                + (found.size() > SHOWN ? "; and " + (found.size() - SHOWN) + " more" : "");
        return Optional.of(new DagWarning(dag.dagId(), WARNING_TYPE, "a bash command puts a value a run's conf "
                + "controls into the shell unquoted, so whoever triggers the DAG can run commands (" + shown
                + "); quote it with the sh filter, e.g. {{ params.name | sh }}"));
    }

    /** The expressions (without braces) of {@code template} that interpolate a tainted value unquoted. */
    static List<String> unquoted(String template) {
        Set<String> tainted = new LinkedHashSet<>(List.of("params", "conf"));
        Matcher statement = STATEMENT.matcher(template);
        while (statement.find()) {
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
        Matcher expression = EXPRESSION.matcher(template);
        while (expression.find()) {
            String text = expression.group(1);
            if (references(text, tainted) && !quoted(text)) {
                found.add(text);
            }
        }
        return found;
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
            if (Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\b").matcher(expression).find()) {
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
