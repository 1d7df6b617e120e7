package dev.gust.core.runs;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which tasks of a DAG a clear or a mark applies to: the ones named or matching a pattern, and,
 * as Airflow's "upstream" / "downstream" options do, everything before or after them in the
 * graph. One rule for the CLI, the UI and the REST API.
 */
public record TaskSelection(Pattern taskPattern, Set<String> taskIds, boolean upstream, boolean downstream) {

    /** Every task of the DAG. */
    public static TaskSelection all() {
        return new TaskSelection(null, null, false, false);
    }

    public static TaskSelection of(Collection<String> taskIds, boolean upstream, boolean downstream) {
        return new TaskSelection(null, Set.copyOf(taskIds), upstream, downstream);
    }

    /** The ids of the selected tasks that exist in {@code dag}, in the DAG's order. */
    public Set<String> resolve(Dag dag) {
        Set<String> selected = new LinkedHashSet<>();
        for (TaskSpec task : dag.tasks()) {
            boolean byPattern =
                    taskPattern == null || taskPattern.matcher(task.taskId()).find();
            boolean byId = taskIds == null || taskIds.contains(task.taskId());
            if (byPattern && byId) {
                selected.add(task.taskId());
            }
        }
        Set<String> result = new LinkedHashSet<>(selected);
        if (downstream) {
            result.addAll(closure(selected, dag::downstream));
        }
        if (upstream) {
            result.addAll(
                    closure(selected, id -> dag.task(id).map(TaskSpec::upstream).orElse(java.util.List.of())));
        }
        return result;
    }

    private static Set<String> closure(Set<String> start, Function<String, Collection<String>> next) {
        Set<String> seen = new LinkedHashSet<>(start);
        Deque<String> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            for (String n : next.apply(todo.pop())) {
                if (seen.add(n)) {
                    todo.push(n);
                }
            }
        }
        seen.removeAll(start);
        return seen;
    }
}
