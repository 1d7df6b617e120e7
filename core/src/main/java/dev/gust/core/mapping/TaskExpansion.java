package dev.gust.core.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.XComReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Airflow's dynamic task mapping, resolved: the arguments of each instance of a mapped task
 * ({@link TaskSpec#expand()}), in map_index order. An {@code expand} argument is a literal list,
 * a literal mapping (each instance gets one {@code [key, value]} pair, as Airflow maps over a
 * dict's items), or an upstream's XCom (the {@link XComReference} marker the loader makes of
 * dag-factory's {@code +task} and {@code task.output}, or a template {@code {{ ti.xcom_pull('task')
 * }}}). Several arguments give their cross product, the last one varying fastest, as Airflow's
 * {@code expand} does; {@link #EXPAND_KWARGS} holds an {@code expand_kwargs} list of argument
 * mappings (or an XCom giving one) instead. The scheduler calls it to know how many instances to
 * create, the runner to know what its instance gets; both see the same upstream values, which no
 * longer change once the upstream has finished. An upstream's string that holds a JSON list (the
 * last line a bash task prints) counts as that list.
 */
public final class TaskExpansion {

    /** The key in {@link TaskSpec#expand()} under which an {@code expand_kwargs} value is kept. */
    public static final String EXPAND_KWARGS = "__expand_kwargs__";

    /**
     * The prefix of a key in {@link TaskSpec#expand()} that maps one keyword argument of a TaskFlow
     * task's function ({@code op_kwargs.number}): each instance gets its element in {@code op_kwargs}
     * next to the fixed ones, as Airflow's decorated tasks map their arguments.
     */
    public static final String KEYWORD_ARGUMENT = "op_kwargs.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern XCOM_PULL_TEMPLATE =
            Pattern.compile("\\{\\{\\s*(?:ti|task_instance)\\.xcom_pull\\(\\s*(?:task_ids\\s*=\\s*)?['\"]([^'\"]+)['\"]"
                    + "\\s*(?:,\\s*key\\s*=\\s*['\"]([^'\"]+)['\"]\\s*)?\\)\\s*}}");

    /** Reads an XCom of the same DAG run, JSON-decoded (a mapped upstream's values as a list). */
    @FunctionalInterface
    public interface XComSource {
        Optional<Object> pull(String taskId, String key);
    }

    /** What a mapped task expands to. */
    public sealed interface Result {}

    /** One argument mapping per instance, index = map_index; empty means the task is skipped. */
    public record Instances(List<Map<String, Object>> arguments) implements Result {
        public Instances {
            arguments = List.copyOf(arguments);
        }

        public int count() {
            return arguments.size();
        }
    }

    /** The task cannot be mapped (an input is not a list, or too long); the reason is one line. */
    public record Unmappable(String reason) implements Result {}

    private TaskExpansion() {}

    /**
     * The arguments one instance runs with: its {@code element} of the expansion laid over the
     * task's fixed ({@code partial}) {@code args}; an element's {@link #KEYWORD_ARGUMENT} keys go
     * into {@code op_kwargs}, over the fixed keyword arguments.
     */
    public static Map<String, Object> instanceArguments(Map<String, Object> args, Map<String, Object> element) {
        Map<String, Object> merged = new LinkedHashMap<>(args);
        Map<String, Object> keywords = new LinkedHashMap<>();
        if (args.get("op_kwargs") instanceof Map<?, ?> fixed) {
            fixed.forEach((k, v) -> keywords.put(String.valueOf(k), v));
        }
        boolean mapsKeywords = false;
        for (Map.Entry<String, Object> e : element.entrySet()) {
            if (e.getKey().startsWith(KEYWORD_ARGUMENT)) {
                keywords.put(e.getKey().substring(KEYWORD_ARGUMENT.length()), e.getValue());
                mapsKeywords = true;
            } else {
                merged.put(e.getKey(), e.getValue());
            }
        }
        if (mapsKeywords) {
            merged.put("op_kwargs", keywords);
        }
        return merged;
    }

    /** The upstream XCom an {@code expand} value reads: a marker or an {@code xcom_pull} template. */
    public static Optional<XComReference> reference(Object value) {
        Optional<XComReference> marker = XComReference.from(value);
        if (marker.isPresent() || !(value instanceof String text)) {
            return marker;
        }
        Matcher m = XCOM_PULL_TEMPLATE.matcher(text.strip());
        return m.matches() ? Optional.of(new XComReference(m.group(1), m.group(2))) : Optional.empty();
    }

    /**
     * The instances of {@code task} in DAG {@code dagId}; at most {@code maxMapLength} of them
     * ({@code core.max_map_length}).
     */
    public static Result expand(String dagId, TaskSpec task, XComSource xcoms, int maxMapLength) {
        String where = "DAG '" + dagId + "', task '" + task.taskId() + "'";
        Map<String, Object> expand = task.expand();
        if (expand == null) {
            return new Unmappable(where + " is not mapped (it has no expand)");
        }
        if (expand.containsKey(EXPAND_KWARGS)) {
            return expandKwargs(where, expand.get(EXPAND_KWARGS), xcoms, maxMapLength);
        }
        List<String> names = new ArrayList<>(expand.keySet());
        List<List<Object>> lists = new ArrayList<>();
        long total = 1;
        for (String name : names) {
            String what =
                    "expand." + (name.startsWith(KEYWORD_ARGUMENT) ? name.substring(KEYWORD_ARGUMENT.length()) : name);
            Object resolved = resolve(where, what, expand.get(name), xcoms);
            if (resolved instanceof Unmappable unmappable) {
                return unmappable;
            }
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) resolved;
            if (list.size() > maxMapLength) {
                return tooLong(where, what, list.size(), maxMapLength);
            }
            lists.add(list);
            total *= list.size();
        }
        if (total > maxMapLength) {
            return tooLong(where, "the cross product of expand's " + names.size() + " arguments", total, maxMapLength);
        }
        List<Map<String, Object>> instances = new ArrayList<>();
        for (int index = 0; index < total; index++) {
            Map<String, Object> args = new LinkedHashMap<>();
            int rest = index;
            // the last argument varies fastest: index = ((i0 * n1) + i1) * n2 + i2 ...
            for (int a = names.size() - 1; a >= 0; a--) {
                List<Object> list = lists.get(a);
                args.put(names.get(a), list.get(rest % list.size()));
                rest /= list.size();
            }
            Map<String, Object> ordered = new LinkedHashMap<>();
            names.forEach(n -> ordered.put(n, args.get(n)));
            instances.add(ordered);
        }
        return new Instances(instances);
    }

    private static Result expandKwargs(String where, Object value, XComSource xcoms, int maxMapLength) {
        Object resolved = resolve(where, "expand_kwargs", value, xcoms);
        if (resolved instanceof Unmappable unmappable) {
            return unmappable;
        }
        List<?> list = (List<?>) resolved;
        if (list.size() > maxMapLength) {
            return tooLong(where, "expand_kwargs", list.size(), maxMapLength);
        }
        List<Map<String, Object>> instances = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> map)
                    || !map.keySet().stream().allMatch(k -> k instanceof String)) {
                return new Unmappable(where + ": expand_kwargs item " + i + " is not a mapping of argument names to "
                        + "values; expand_kwargs takes a list of mappings, e.g. [{bash_command: 'echo 1'}]");
            }
            Map<String, Object> args = new LinkedHashMap<>();
            map.forEach((k, v) -> args.put((String) k, v));
            instances.add(args);
        }
        return new Instances(instances);
    }

    /** The list {@code value} stands for, or an {@link Unmappable}. */
    private static Object resolve(String where, String what, Object value, XComSource xcoms) {
        Optional<XComReference> reference = reference(value);
        Object resolved = value;
        String source = "it";
        if (reference.isPresent()) {
            XComReference ref = reference.get();
            source = "the XCom '" + ref.key() + "' of task '" + ref.taskId() + "'";
            Optional<Object> pulled = xcoms.pull(ref.taskId(), ref.key());
            if (pulled.isEmpty()) {
                return new Unmappable(where + ": " + what + " maps over " + source
                        + ", which does not exist; the upstream task must push a list (return one, or print it"
                        + " last with do_xcom_push)");
            }
            resolved = jsonText(pulled.get());
        } else if (value instanceof String text) {
            return new Unmappable(where + ": " + what + " is the template '" + text
                    + "'; expand takes a list, a mapping or an upstream's XCom"
                    + " (+task, task.output or {{ ti.xcom_pull('task') }})");
        }
        if (resolved instanceof List<?> list) {
            return new ArrayList<Object>(list);
        }
        if (resolved instanceof Map<?, ?> map) {
            List<Object> items = new ArrayList<>();
            map.forEach((k, v) -> items.add(java.util.Arrays.asList(k, v)));
            return items;
        }
        return new Unmappable(where + ": " + what + " maps over " + source + ", which is "
                + (resolved == null ? "null" : "a " + kind(resolved) + " (" + abbreviate(resolved) + ")")
                + ", not a list or a mapping; make the upstream push a JSON list");
    }

    /**
     * A string that holds a JSON list or object, as the last line a bash task prints is pushed,
     * stands for that list or object: the shell's way to return one.
     */
    private static Object jsonText(Object value) {
        if (value instanceof String text
                && (text.strip().startsWith("[") || text.strip().startsWith("{"))) {
            try {
                return JSON.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                return value;
            }
        }
        return value;
    }

    private static Unmappable tooLong(String where, String what, long length, int max) {
        return new Unmappable(where + ": " + what + " has " + length + " items, more than core.max_map_length (" + max
                + "); map over fewer or raise core.max_map_length (GUST_CORE__MAX_MAP_LENGTH)");
    }

    private static String kind(Object value) {
        return value instanceof String
                ? "string"
                : value instanceof Number
                        ? "number"
                        : value instanceof Boolean
                                ? "boolean"
                                : value.getClass().getSimpleName();
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
