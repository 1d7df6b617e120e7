package dev.gust.cli.dags;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskGroup;
import dev.gust.core.dag.model.TaskSpec;
import java.util.List;
import java.util.Objects;

/**
 * A DAG as Graphviz DOT for {@code gust dags show --dot}: one node per task, drawn in the DAG's
 * {@code orientation} (Airflow's graph direction, left to right unless set), each task group a
 * {@code cluster_} subgraph labelled with the group's name and holding its tasks and inner groups,
 * as Airflow's own {@code dags show} draws them.
 */
final class DagDot {

    private final Dag dag;
    private final StringBuilder out = new StringBuilder();

    private DagDot(Dag dag) {
        this.dag = dag;
    }

    static String of(Dag dag) {
        return new DagDot(dag).render();
    }

    private String render() {
        out.append("digraph ").append(quote(dag.dagId())).append(" {\n");
        out.append("  rankdir=")
                .append(dag.orientation() == null ? "LR" : dag.orientation())
                .append(";\n");
        members(null, "  ");
        for (TaskSpec task : dag.tasks()) {
            for (String upstream : task.upstream()) {
                out.append("  ")
                        .append(quote(upstream))
                        .append(" -> ")
                        .append(quote(task.taskId()))
                        .append(";\n");
            }
        }
        out.append("}\n");
        return out.toString();
    }

    /** The groups and tasks directly in {@code groupId} (null: the DAG's top), groups drawn as clusters. */
    private void members(String groupId, String indent) {
        List<TaskGroup> inner = dag.taskGroups().stream()
                .filter(g -> Objects.equals(g.parentGroupId(), groupId))
                .toList();
        for (TaskGroup group : inner) {
            out.append(indent)
                    .append("subgraph ")
                    .append(quote("cluster_" + group.groupId()))
                    .append(" {\n");
            out.append(indent).append("  label=").append(quote(group.label())).append(";\n");
            if (group.tooltip() != null && !group.tooltip().isBlank()) {
                out.append(indent)
                        .append("  tooltip=")
                        .append(quote(group.tooltip()))
                        .append(";\n");
            }
            members(group.groupId(), indent + "  ");
            out.append(indent).append("}\n");
        }
        for (TaskSpec task : dag.tasks()) {
            if (Objects.equals(task.taskGroupId(), groupId)) {
                out.append(indent)
                        .append(quote(task.taskId()))
                        .append(" [label=")
                        .append(quote(task.taskId() + "\n(" + task.operator() + ")"))
                        .append("];\n");
            }
        }
    }

    /** A DOT string: quotes and backslashes escaped, a line break as DOT's {@code \n}. */
    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
