package dev.gust.core.state;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A DAG's edges indexed both ways once, for the rules that walk them. Ids keep file order. */
final class TaskGraph {

    private final Map<String, List<String>> upstream = new LinkedHashMap<>();
    private final Map<String, List<String>> downstream = new LinkedHashMap<>();

    TaskGraph(Dag dag) {
        for (TaskSpec task : dag.tasks()) {
            upstream.put(task.taskId(), new ArrayList<>());
            downstream.put(task.taskId(), new ArrayList<>());
        }
        for (TaskSpec task : dag.tasks()) {
            for (String up : task.upstream()) {
                if (downstream.containsKey(up) && !upstream.get(task.taskId()).contains(up)) {
                    upstream.get(task.taskId()).add(up);
                    downstream.get(up).add(task.taskId());
                }
            }
        }
    }

    Set<String> taskIds() {
        return upstream.keySet();
    }

    boolean contains(String taskId) {
        return upstream.containsKey(taskId);
    }

    List<String> upstream(String taskId) {
        return upstream.get(taskId);
    }

    List<String> downstream(String taskId) {
        return downstream.get(taskId);
    }

    /** Tasks nothing depends on: Airflow's leaves, which decide a run's state. */
    List<String> leaves() {
        return downstream.entrySet().stream()
                .filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Every task reachable downstream of {@code taskId}, excluding itself. */
    Set<String> allDownstream(String taskId) {
        return reachable(taskId, downstream);
    }

    /** Every task reachable upstream of {@code taskId}, excluding itself. */
    Set<String> allUpstream(String taskId) {
        return reachable(taskId, upstream);
    }

    private static Set<String> reachable(String start, Map<String, List<String>> edges) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(edges.get(start));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(edges.get(next));
            }
        }
        seen.remove(start);
        return seen;
    }
}
