package dev.gust.core.dag.load;

import dev.gust.core.dag.model.TaskGroup;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.operator.OperatorDeclaration;
import dev.gust.core.text.NameSuggester;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a DAG's {@code task_groups} as dag-factory hands them to Airflow's {@code TaskGroup}: either
 * a mapping of group names to settings or a list of settings each with a {@code group_name}. A
 * group nests in another through {@code parent_group_name}; its id is Airflow's (the parent's id
 * and a dot before its name when the parent prefixes); its {@code default_args} extend its
 * parent's, nearest group winning. Problems (unknown keys, a missing parent, groups nested in a
 * loop) are recorded; the groups that could be read are returned, parents before children.
 */
final class TaskGroupReader {

    static final Set<String> GROUP_KEYS = Set.of(
            "tooltip",
            "prefix_group_id",
            "parent_group_name",
            "dependencies",
            "default_args",
            "ui_color",
            "ui_fgcolor");

    /** The list form's key for the group's name. */
    private static final String GROUP_NAME = "group_name";

    /** Airflow's limit for a group key. */
    private static final int MAX_GROUP_KEY = 200;

    private static final Pattern COLOR = Pattern.compile("[A-Za-z]{1,30}|#[0-9A-Fa-f]{3,8}");

    /** Task settings that mean nothing as a default for the tasks of a group. */
    private static final Set<String> NOT_DEFAULTS = Set.of("task_id", "dependencies", "task_group_name");

    /**
     * One group: its name in the file, the model the DAG keeps, what it depends on (names of tasks
     * or groups, as written) and the default args its tasks get from it and its ancestors.
     */
    record Group(
            String name,
            int line,
            String parentName,
            TaskGroup model,
            List<String> dependencies,
            int dependenciesLine,
            YamlMap defaultArgs) {

        /** The id Airflow gives a task or group named {@code label} inside this group. */
        String childId(String label) {
            return model.prefixGroupId() ? model.groupId() + "." + label : label;
        }
    }

    private record Declared(String name, int line, YamlMap settings) {}

    private final String dagId;
    private final OperatorCatalog catalog;
    private final FieldReader fields;
    private final Map<String, Declared> declared = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Set<String> failed = new HashSet<>();

    private TaskGroupReader(String dagId, OperatorCatalog catalog, FieldReader fields) {
        this.dagId = dagId;
        this.catalog = catalog;
        this.fields = fields;
    }

    /** The DAG's groups by name, parents first; empty when {@code entry} is absent. */
    static Map<String, Group> read(String dagId, YamlMap.Entry entry, OperatorCatalog catalog, FieldReader fields) {
        TaskGroupReader reader = new TaskGroupReader(dagId, catalog, fields);
        if (entry == null || YamlValues.isNull(entry.value())) {
            return Map.of();
        }
        reader.declare(entry);
        for (Declared group : reader.declared.values()) {
            reader.resolve(group, new ArrayList<>());
        }
        return reader.groups;
    }

    private void declare(YamlMap.Entry entry) {
        Problems problems = fields.problems();
        switch (entry.value()) {
            case MappingNode mapping -> {
                for (YamlMap.Entry group :
                        YamlMap.of(mapping, "task group", problems).entries()) {
                    settings(group.key(), group.line(), group.value());
                }
            }
            case SequenceNode sequence -> {
                for (Node item : sequence.getValue()) {
                    listGroup(item);
                }
            }
            default ->
                problems.add(
                        entry.line(),
                        "DAG '" + dagId + "': task_groups must be a mapping of group names to their settings, "
                                + "or a list of groups each with a group_name");
        }
    }

    private void listGroup(Node item) {
        int line = YamlMap.lineOf(item);
        if (!(item instanceof MappingNode mapping)) {
            fields.problem(
                    line,
                    "DAG '" + dagId + "': each item of task_groups must be a mapping with a group_name, got "
                            + YamlValues.describe(item));
            return;
        }
        YamlMap group = YamlMap.of(mapping, "key", fields.problems());
        YamlMap.Entry name = group.get(GROUP_NAME);
        if (name == null || YamlValues.isNull(name.value())) {
            fields.problem(line, "DAG '" + dagId + "': a task group in the task_groups list has no group_name");
            return;
        }
        String groupName = String.valueOf(YamlValues.plain(name.value()));
        Declared first = declared.get(groupName);
        if (first != null) {
            fields.problem(
                    name.line(),
                    "DAG '" + dagId + "': task group '" + groupName + "' is defined twice (first on line "
                            + first.line() + ")");
            return;
        }
        declared.put(groupName, new Declared(groupName, name.line(), group.without(GROUP_NAME)));
    }

    private void settings(String name, int line, Node value) {
        if (YamlValues.isNull(value)) {
            declared.put(name, new Declared(name, line, YamlMap.empty(line)));
        } else if (value instanceof MappingNode mapping) {
            declared.put(name, new Declared(name, line, YamlMap.of(mapping, "key", fields.problems())));
        } else {
            fields.problem(
                    line,
                    "task group '" + name + "' of DAG '" + dagId + "' must be a mapping of its settings ("
                            + String.join(", ", sorted(GROUP_KEYS)) + "), got " + YamlValues.describe(value));
        }
    }

    /** Reads a group after its parent; {@code path} holds the groups being read, to name a nesting loop. */
    private Group resolve(Declared group, List<String> path) {
        Group known = groups.get(group.name());
        if (known != null || failed.contains(group.name())) {
            return known;
        }
        if (path.contains(group.name())) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(group.name()), path.size()));
            loop.add(group.name());
            fields.problem(
                    group.line(),
                    "task groups of DAG '" + dagId + "' are nested in a loop through parent_group_name: "
                            + String.join(" -> ", loop) + "; a group cannot be inside itself");
            loop.forEach(failed::add);
            return null;
        }
        path.add(group.name());
        YamlMap settings = group.settings();
        checkKeys(group);
        String parentName = setting(group, "parent_group_name", YamlValues::string, null);
        Group parent = null;
        if (parentName != null) {
            Declared parentDeclared = declared.get(parentName);
            if (parentDeclared == null) {
                fields.problem(
                        settings.get("parent_group_name").line(),
                        "task group '" + group.name() + "' of DAG '" + dagId + "': parent_group_name '" + parentName
                                + "' is not a task group of this DAG; declare it under task_groups"
                                + NameSuggester.hint(parentName, declared.keySet()));
            } else {
                parent = resolve(parentDeclared, path);
                if (parent == null) {
                    failed.add(group.name());
                    return null;
                }
            }
        }
        path.removeLast();
        boolean prefix = setting(group, "prefix_group_id", YamlValues::bool, true);
        checkName(group, prefix);
        YamlMap ownDefaults = defaultArgs(group);
        YamlMap.Entry dependencies = settings.get("dependencies");
        Group read = new Group(
                group.name(),
                group.line(),
                parentName,
                new TaskGroup(
                        parent == null ? group.name() : parent.childId(group.name()),
                        group.name(),
                        parent == null ? null : parent.model().groupId(),
                        setting(group, "tooltip", YamlValues::string, ""),
                        prefix,
                        setting(group, "ui_color", TaskGroupReader::color, null),
                        setting(group, "ui_fgcolor", TaskGroupReader::color, null)),
                setting(group, "dependencies", YamlValues::stringList, List.<String>of()),
                dependencies == null ? group.line() : dependencies.line(),
                parent == null ? ownDefaults : parent.defaultArgs().overriddenBy(ownDefaults));
        groups.put(group.name(), read);
        return read;
    }

    /** One setting of the group, a bad value reported with the DAG's and the group's names. */
    private <T> T setting(Declared group, String key, Function<Node, T> converter, T fallback) {
        YamlMap.Entry entry = group.settings().get(key);
        if (entry == null || YamlValues.isNull(entry.value())) {
            return fallback;
        }
        try {
            return converter.apply(entry.value());
        } catch (InvalidValue e) {
            fields.problem(
                    entry.line(),
                    "task group '" + group.name() + "' of DAG '" + dagId + "': " + key + " " + e.getMessage());
            return fallback;
        }
    }

    private void checkKeys(Declared group) {
        for (YamlMap.Entry entry : group.settings().entries()) {
            if (!GROUP_KEYS.contains(entry.key())) {
                fields.problem(
                        entry.line(),
                        "task group '" + group.name() + "' of DAG '" + dagId + "': unknown setting '" + entry.key()
                                + "'" + NameSuggester.hint(entry.key(), GROUP_KEYS) + " (a task group takes "
                                + String.join(", ", sorted(GROUP_KEYS)) + ")");
            }
        }
    }

    /** Airflow's rule: a name its tasks' ids start with has only letters, digits, '-' and '_'. */
    private void checkName(Declared group, boolean prefix) {
        String name = group.name();
        String problem = null;
        if (name.isEmpty()) {
            problem = "a task group name must not be empty";
        } else if (prefix && name.length() > MAX_GROUP_KEY) {
            problem = "task group name '" + name.substring(0, 40) + "...' is " + name.length()
                    + " characters long; the limit is " + MAX_GROUP_KEY;
        } else if (prefix) {
            for (int i = 0; i < name.length() && problem == null; i++) {
                char c = name.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '_'
                        || c == '-';
                if (!ok) {
                    problem = "task group name '" + name + "' contains '" + c + "'; the name of a group that prefixes "
                            + "its tasks' ids may only contain letters, digits, '-' and '_'";
                }
            }
        }
        if (problem != null) {
            fields.problem(group.line(), "DAG '" + dagId + "': " + problem);
        }
    }

    /** The group's own default_args, each key a task setting or an operator's argument. */
    private YamlMap defaultArgs(Declared group) {
        YamlMap.Entry entry = group.settings().get("default_args");
        if (entry == null || YamlValues.isNull(entry.value())) {
            return YamlMap.empty(group.line());
        }
        if (!(entry.value() instanceof MappingNode mapping)) {
            fields.problem(
                    entry.line(),
                    "task group '" + group.name() + "' of DAG '" + dagId
                            + "': default_args must be a mapping of task settings, got "
                            + YamlValues.describe(entry.value()));
            return YamlMap.empty(entry.line());
        }
        YamlMap defaults = YamlMap.of(mapping, "default_args key", fields.problems());
        Set<String> known = taskDefaults();
        for (YamlMap.Entry key : defaults.entries()) {
            if (!known.contains(key.key())) {
                fields.problem(
                        key.line(),
                        "task group '" + group.name() + "' of DAG '" + dagId + "': default_args key '" + key.key()
                                + "' is not a task setting or an operator argument Gust knows"
                                + NameSuggester.hint(key.key(), known)
                                + "; a group's default_args apply to its tasks only (DAG settings such as start_date "
                                + "belong in the DAG's default_args)");
            }
        }
        return defaults;
    }

    private Set<String> taskDefaults() {
        Set<String> known = new LinkedHashSet<>(TaskReader.TASK_KEYS);
        for (OperatorDeclaration declaration : catalog.declarations()) {
            known.addAll(declaration.definition().argumentNames());
        }
        known.removeAll(NOT_DEFAULTS);
        return known;
    }

    /** A colour the graph can put in a style attribute as it is: a CSS colour name or a hex colour. */
    private static String color(Node node) {
        String text = YamlValues.string(node).trim();
        if (!COLOR.matcher(text).matches()) {
            throw new InvalidValue(
                    "must be a CSS colour name like 'CornflowerBlue' or a hex colour like '#ffefeb', got '" + text
                            + "'");
        }
        return text;
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
