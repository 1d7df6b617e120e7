package dev.gust.core.state;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskGraph;
import dev.gust.core.dag.model.TaskSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The effective priority of each task of a DAG, Airflow's {@code priority_weight_total}: with
 * the {@code downstream} weight rule a task's own weight plus the weights of every task
 * downstream of it (transitively, each counted once), with {@code upstream} the same over the
 * tasks upstream of it, with {@code absolute} its own weight. Sums are clamped to the int range,
 * as Airflow clamps them to what its database column holds.
 */
public final class PriorityWeights {

    private PriorityWeights() {}

    /** Task id to effective priority, in file order. */
    public static Map<String, Integer> compute(Dag dag) {
        TaskGraph graph = dag.graph();
        Map<String, Integer> own = new LinkedHashMap<>();
        for (TaskSpec task : dag.tasks()) {
            own.put(task.taskId(), task.priorityWeight());
        }
        Map<String, Integer> result = new LinkedHashMap<>();
        for (TaskSpec task : dag.tasks()) {
            Set<String> relatives = switch (task.weightRule()) {
                case DOWNSTREAM -> graph.allDownstream(task.taskId());
                case UPSTREAM -> graph.allUpstream(task.taskId());
                case ABSOLUTE -> Set.of();
            };
            long total = task.priorityWeight();
            for (String id : relatives) {
                total += own.get(id);
            }
            result.put(task.taskId(), (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, total)));
        }
        return Collections.unmodifiableMap(result);
    }
}
