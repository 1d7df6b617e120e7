package dev.gust.core.state;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tasks a branch task skips once it has chosen the tasks to follow: its direct downstream
 * tasks that it did not follow, as Airflow's {@code SkipMixin.skip_all_except}. The skip then
 * spreads further down through the trigger rules. Like Airflow, a direct downstream task that
 * is also downstream of a followed task (the "join" of an empty branch) is not skipped: it
 * belongs to the followed path too.
 */
public final class BranchSkips {

    private BranchSkips() {}

    /**
     * The direct downstream tasks of {@code branchTaskId} to mark skipped, in file order. An empty
     * {@code followed} skips them all.
     *
     * @throws IllegalArgumentException when the branch task is not in the DAG or a followed id is
     *     not one of its direct downstream tasks
     */
    public static List<String> toSkip(Dag dag, String branchTaskId, List<String> followed) {
        TaskGraph graph = dag.graph();
        if (!graph.contains(branchTaskId)) {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "' has no task '" + branchTaskId + "'");
        }
        List<String> direct = graph.downstream(branchTaskId);
        List<String> invalid =
                followed.stream().filter(id -> !direct.contains(id)).distinct().toList();
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException("branch task '" + branchTaskId + "' of DAG '" + dag.dagId()
                    + "' chose " + quoted(invalid) + ", not directly downstream of it; it may choose among: "
                    + (direct.isEmpty() ? "(no downstream tasks)" : quoted(direct)));
        }
        Set<String> keep = new HashSet<>(followed);
        for (String id : followed) {
            keep.addAll(graph.allDownstream(id));
        }
        List<String> skip = new ArrayList<>();
        for (String id : direct) {
            if (!keep.contains(id)) {
                skip.add(id);
            }
        }
        return skip;
    }

    /**
     * Every task downstream of {@code taskId}, at any depth, in file order: what a short circuit
     * skips when it ignores the downstream trigger rules (Airflow's default).
     */
    public static List<String> allDownstream(Dag dag, String taskId) {
        TaskGraph graph = dag.graph();
        if (!graph.contains(taskId)) {
            throw new IllegalArgumentException("DAG '" + dag.dagId() + "' has no task '" + taskId + "'");
        }
        Set<String> below = graph.allDownstream(taskId);
        return dag.tasks().stream().map(t -> t.taskId()).filter(below::contains).toList();
    }

    private static String quoted(List<String> ids) {
        return String.join(", ", ids.stream().map(id -> "'" + id + "'").toList());
    }
}
