package dev.gust.core.dag.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DAG's edges indexed both ways, for the rules that walk them; ids keep file order. Built once
 * per DAG definition ({@link Dag#graph()}): the scheduling round asks for it for every running run
 * in every round, and building it each time was a tenth of the scheduler's CPU for a wide DAG.
 * Unmodifiable once built.
 */
public final class TaskGraph {

    private final Map<String, List<String>> upstream;
    private final Map<String, List<String>> downstream;
    private final List<String> leaves;

    TaskGraph(List<TaskSpec> tasks) {
        Map<String, List<String>> up = new LinkedHashMap<>();
        Map<String, List<String>> down = new LinkedHashMap<>();
        for (TaskSpec task : tasks) {
            up.put(task.taskId(), new ArrayList<>());
            down.put(task.taskId(), new ArrayList<>());
        }
        for (TaskSpec task : tasks) {
            for (String upstreamId : task.upstream()) {
                if (down.containsKey(upstreamId) && !up.get(task.taskId()).contains(upstreamId)) {
                    up.get(task.taskId()).add(upstreamId);
                    down.get(upstreamId).add(task.taskId());
                }
            }
        }
        this.upstream = frozen(up);
        this.downstream = frozen(down);
        this.leaves = downstream.entrySet().stream()
                .filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static Map<String, List<String>> frozen(Map<String, List<String>> edges) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        edges.forEach((id, ids) -> copy.put(id, List.copyOf(ids)));
        return Collections.unmodifiableMap(copy);
    }

    public Set<String> taskIds() {
        return upstream.keySet();
    }

    public boolean contains(String taskId) {
        return upstream.containsKey(taskId);
    }

    public List<String> upstream(String taskId) {
        return upstream.get(taskId);
    }

    public List<String> downstream(String taskId) {
        return downstream.get(taskId);
    }

    /** Tasks nothing depends on: Airflow's leaves, which decide a run's state. */
    public List<String> leaves() {
        return leaves;
    }

    /** Every task reachable downstream of {@code taskId}, excluding itself. */
    public Set<String> allDownstream(String taskId) {
        return reachable(taskId, downstream);
    }

    /** Every task reachable upstream of {@code taskId}, excluding itself. */
    public Set<String> allUpstream(String taskId) {
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
