package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskGroup;
import dev.gust.core.dag.model.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DAG's tasks as the grid and the graph show them: nested in their task groups, each level in
 * the order its first task comes in the file. A group without tasks is not shown. Which groups
 * are open is the page's business ({@link #visibleNode} answers where a task is drawn when some
 * are closed).
 */
final class TaskTree {

    /** A task or a group at one level of the tree. */
    sealed interface Item permits Task, Group {}

    record Task(TaskSpec spec, String label) implements Item {}

    record Group(TaskGroup group, List<Item> children, Set<String> taskIds) implements Item {}

    private final List<Item> top;
    private final Map<String, Group> groups;
    private final Dag dag;

    private TaskTree(Dag dag, List<Item> top, Map<String, Group> groups) {
        this.dag = dag;
        this.top = top;
        this.groups = groups;
    }

    static TaskTree of(Dag dag) {
        List<Item> top = new ArrayList<>();
        Map<String, Group> groups = new HashMap<>();
        for (TaskSpec task : dag.tasks()) {
            List<Item> level = top;
            for (TaskGroup group : ancestry(dag, task.taskGroupId())) {
                Group item = groups.get(group.groupId());
                if (item == null) {
                    item = new Group(group, new ArrayList<>(), new LinkedHashSet<>());
                    groups.put(group.groupId(), item);
                    level.add(item);
                }
                item.taskIds().add(task.taskId());
                level = item.children();
            }
            level.add(new Task(task, label(task)));
        }
        return new TaskTree(dag, top, groups);
    }

    List<Item> top() {
        return top;
    }

    /** Ids of the groups shown, outer ones first. */
    List<String> groupIds() {
        return dag.taskGroups().stream()
                .map(TaskGroup::groupId)
                .filter(groups::containsKey)
                .toList();
    }

    /**
     * Where {@code taskId} is drawn when only the groups in {@code expanded} are open: the task
     * itself, or the outermost closed group around it.
     */
    String visibleNode(String taskId, Set<String> expanded) {
        TaskSpec task = dag.task(taskId).orElse(null);
        if (task == null) {
            return taskId;
        }
        for (TaskGroup group : ancestry(dag, task.taskGroupId())) {
            if (!expanded.contains(group.groupId())) {
                return group.groupId();
            }
        }
        return taskId;
    }

    /** The groups from the outermost to {@code groupId}; empty for null. */
    private static List<TaskGroup> ancestry(Dag dag, String groupId) {
        List<TaskGroup> chain = new ArrayList<>();
        for (String id = groupId; id != null; ) {
            TaskGroup group = dag.taskGroup(id).orElse(null);
            if (group == null) {
                break;
            }
            chain.addFirst(group);
            id = group.parentGroupId();
        }
        return chain;
    }

    /** The task's id without its group's prefix, as Airflow's UI labels it. */
    private static String label(TaskSpec task) {
        if (task.taskGroupId() == null) {
            return task.taskId();
        }
        String prefix = task.taskGroupId() + ".";
        return task.taskId().startsWith(prefix) ? task.taskId().substring(prefix.length()) : task.taskId();
    }
}
