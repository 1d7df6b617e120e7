package dev.gust.core.dag.model;

import java.util.Optional;

/**
 * How a task's effective priority is computed from its {@code priority_weight}: summed over its
 * downstream tasks (Airflow's default), over its upstream tasks, or taken as is.
 */
public enum WeightRule {
    DOWNSTREAM,
    UPSTREAM,
    ABSOLUTE;

    public String fileName() {
        return name().toLowerCase();
    }

    public static Optional<WeightRule> fromFileName(String text) {
        for (WeightRule rule : values()) {
            if (rule.fileName().equals(text)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
