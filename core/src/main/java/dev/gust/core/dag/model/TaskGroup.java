package dev.gust.core.dag.model;

import java.util.Objects;

/**
 * One of a DAG's task groups, as Airflow's {@code TaskGroup} has it: {@code groupId} is the id
 * Airflow gives it (its parent's id and a dot before its {@code label} when the parent prefixes),
 * {@code parentGroupId} the enclosing group's id or null at the top. {@code prefixGroupId} says
 * whether the ids of what it holds start with its id. Groups only shape task ids, dependencies
 * and defaults when the DAG is loaded, and how the UI draws the DAG; the scheduler never sees them.
 */
public record TaskGroup(
        String groupId,
        String label,
        String parentGroupId,
        String tooltip,
        boolean prefixGroupId,
        String uiColor,
        String uiFgcolor) {

    public TaskGroup {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(label, "label");
    }
}
