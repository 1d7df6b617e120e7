package dev.gust.core.dag.warnings;

/**
 * Something about a DAG that loads and runs but deserves its author's attention, as Airflow's
 * {@code DagWarning}: one per DAG and {@code warningType}, with a one-line message.
 */
public record DagWarning(String dagId, String warningType, String message) {}
