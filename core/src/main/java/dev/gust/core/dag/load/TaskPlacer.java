package dev.gust.core.dag.load;

import dev.gust.core.text.NameSuggester;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Places each task of a DAG in its task group ({@code task_group_name}) and resolves every
 * {@code dependencies} list, of tasks and of groups, into upstream task ids. A file names tasks
 * and groups by their names in the file; the ids are Airflow's ({@code group.task} under a
 * prefixing group). Depending on a group means depending on its leaves (its tasks nothing else in
 * it runs after); a group's own dependencies become upstreams of its roots. As dag-factory does,
 * the tasks' dependencies are set first, in file order, then the groups', each group's roots and
 * leaves taken as they are when the dependency is set, so a file gets the same edges as in Airflow.
 */
final class TaskPlacer {

    /**
     * Where a task ends up: its Airflow id, its innermost group's id, its default args and its
     * upstream ids; {@code taskIds} maps every task's name in the file to its Airflow id.
     */
    record Placement(
            String taskId,
            String taskGroupId,
            YamlMap defaultArgs,
            List<String> upstream,
            Map<String, String> taskIds) {}

    private final String dagId;
    private final Map<String, YamlMap> tasks;
    private final Map<String, TaskGroupReader.Group> groups;
    private final FieldReader fields;
    /** Task name in the file to its group, for tasks in one. */
    private final Map<String, TaskGroupReader.Group> groupOf = new HashMap<>();
    /** Task name in the file to its Airflow id, and back. */
    private final Map<String, String> ids = new LinkedHashMap<>();

    private final Map<String, String> names = new HashMap<>();
    /** Group name to the ids of the tasks in it or in a group nested in it. */
    private final Map<String, Set<String>> members = new HashMap<>();

    /** Task id to its upstream ids, filled in the order dag-factory sets them. */
    private final Map<String, Set<String>> upstream = new LinkedHashMap<>();

    private TaskPlacer(
            String dagId, Map<String, YamlMap> tasks, Map<String, TaskGroupReader.Group> groups, FieldReader fields) {
        this.dagId = dagId;
        this.tasks = tasks;
        this.groups = groups;
        this.fields = fields;
    }

    /** The placement of each task, by its name in the file; problems are recorded in {@code fields}. */
    static Map<String, Placement> place(
            String dagId,
            Map<String, YamlMap> tasks,
            Map<String, Integer> lines,
            Map<String, TaskGroupReader.Group> groups,
            YamlMap dagDefaultArgs,
            FieldReader fields) {
        TaskPlacer placer = new TaskPlacer(dagId, tasks, groups, fields);
        placer.assignGroups(lines);
        placer.assignIds(lines);
        placer.wire();
        Map<String, String> taskIds = Map.copyOf(placer.ids);
        Map<String, Placement> result = new LinkedHashMap<>();
        for (String name : tasks.keySet()) {
            TaskGroupReader.Group group = placer.groupOf.get(name);
            String id = placer.ids.get(name);
            result.put(
                    name,
                    new Placement(
                            id,
                            group == null ? null : group.model().groupId(),
                            group == null ? dagDefaultArgs : dagDefaultArgs.overriddenBy(group.defaultArgs()),
                            List.copyOf(placer.upstream.get(id)),
                            taskIds));
        }
        return result;
    }

    private void assignGroups(Map<String, Integer> lines) {
        for (Map.Entry<String, YamlMap> task : tasks.entrySet()) {
            String name = task.getKey();
            if (groups.containsKey(name)) {
                fields.problem(
                        lines.get(name),
                        "DAG '" + dagId + "': '" + name + "' names both a task and a task group, so dependencies "
                                + "on it could mean either; rename one");
            }
            YamlMap.Entry entry = task.getValue().get("task_group_name");
            String groupName = fields.read(entry, YamlValues::string, null);
            if (groupName == null) {
                continue;
            }
            TaskGroupReader.Group group = groups.get(groupName);
            if (group == null) {
                fields.problem(
                        entry.line(),
                        "task '" + name + "' of DAG '" + dagId + "': task_group_name '" + groupName
                                + "' is not a task group of this DAG"
                                + (groups.isEmpty()
                                        ? "; declare it under the DAG's task_groups"
                                        : NameSuggester.hint(groupName, groups.keySet())));
                continue;
            }
            groupOf.put(name, group);
        }
    }

    private void assignIds(Map<String, Integer> lines) {
        for (String name : tasks.keySet()) {
            TaskGroupReader.Group group = groupOf.get(name);
            String id = group == null ? name : group.childId(name);
            ids.put(name, id);
            upstream.put(id, new LinkedHashSet<>());
            String other = names.putIfAbsent(id, name);
            if (other != null) {
                fields.problem(
                        lines.get(name),
                        "DAG '" + dagId + "': tasks '" + other + "' and '" + name + "' both get the task id '" + id
                                + "' (a group's name and a dot come before the ids of its tasks unless its "
                                + "prefix_group_id is false); rename one");
            } else if (!id.equals(name)) {
                String idProblem = DagIds.problem("task id", id);
                if (idProblem != null) {
                    fields.problem(lines.get(name), idProblem);
                }
            }
            for (TaskGroupReader.Group g = group; g != null; g = groups.get(g.parentName())) {
                members.computeIfAbsent(g.name(), k -> new LinkedHashSet<>()).add(id);
            }
        }
        for (TaskGroupReader.Group group : groups.values()) {
            String task = names.get(group.model().groupId());
            if (task != null && !tasks.containsKey(group.name())) { // a shared name is reported already
                fields.problem(
                        group.line(),
                        "DAG '" + dagId + "': task '" + task + "' and task group '" + group.name()
                                + "' have the same id '" + group.model().groupId()
                                + "'; Airflow needs the ids of tasks and groups to differ, rename one");
            }
        }
    }

    private void wire() {
        for (Map.Entry<String, YamlMap> task : tasks.entrySet()) {
            String name = task.getKey();
            YamlMap.Entry entry = task.getValue().get("dependencies");
            FieldReader taskFields = fields.in("task '" + name + "'", YamlMap.empty(1));
            String subject = taskFields.where();
            for (String dependency : taskFields.read(entry, YamlValues::stringList, List.<String>of())) {
                Set<String> from = ends(dependency, subject, entry.line());
                upstream.get(ids.get(name)).addAll(from);
            }
            for (Map.Entry<String, TaskFlowForm.Reference> reference :
                    TaskFlowForm.references(task.getValue()).entrySet()) {
                String referenced = reference.getValue().task();
                String id = ids.get(referenced);
                if (id != null) {
                    upstream.get(ids.get(name)).add(id);
                } else {
                    fields.problem(
                            task.getValue().get(reference.getKey()).line(),
                            subject + ": " + reference.getKey() + " takes the output of '" + referenced
                                    + "', which is not a task of the DAG"
                                    + NameSuggester.hint(referenced, tasks.keySet()));
                }
            }
        }
        for (TaskGroupReader.Group group : groups.values()) {
            for (String dependency : group.dependencies()) {
                Set<String> from = ends(
                        dependency, fields.where() + ", task group '" + group.name() + "'", group.dependenciesLine());
                for (String root : roots(group.name())) {
                    upstream.get(root).addAll(from);
                }
            }
        }
    }

    /** The ids a dependency on {@code name} stands for: the task, or the group's leaves. */
    private Set<String> ends(String name, String subject, int line) {
        if (groups.containsKey(name)) {
            return leaves(name);
        }
        String id = ids.get(name);
        if (id != null) {
            return Set.of(id);
        }
        if (groups.isEmpty()) {
            fields.problem(
                    line,
                    subject + " depends on '" + name + "', which is not a task of the DAG"
                            + NameSuggester.hint(name, tasks.keySet()));
        } else {
            List<String> known = new ArrayList<>(tasks.keySet());
            known.addAll(groups.keySet());
            String task = names.get(name);
            fields.problem(
                    line,
                    subject + " depends on '" + name + "', which is neither a task nor a task group of the DAG"
                            + (task != null
                                    ? "; dependencies name a task as the file does: '" + task + "'"
                                    : NameSuggester.hint(name, known)));
        }
        return Set.of();
    }

    /** Tasks of the group that no other task of the group runs before. */
    private List<String> roots(String group) {
        Set<String> in = members.getOrDefault(group, Set.of());
        return in.stream()
                .filter(id -> upstream.get(id).stream().noneMatch(in::contains))
                .toList();
    }

    /** Tasks of the group that no other task of the group runs after. */
    private Set<String> leaves(String group) {
        Set<String> in = members.getOrDefault(group, Set.of());
        Set<String> inner = new LinkedHashSet<>();
        for (String id : in) {
            for (String up : upstream.get(id)) {
                if (in.contains(up) && !up.equals(id)) {
                    inner.add(up);
                }
            }
        }
        Set<String> result = new LinkedHashSet<>(in);
        result.removeAll(inner);
        return result;
    }
}
