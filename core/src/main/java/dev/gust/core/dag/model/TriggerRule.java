package dev.gust.core.dag.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When a task may run, given the states of its upstream tasks: Airflow's eleven trigger rules,
 * under the names DAG files use ({@code all_success}, {@code one_failed}, ...).
 */
public enum TriggerRule {
    ALL_SUCCESS,
    ALL_FAILED,
    ALL_DONE,
    ALL_SKIPPED,
    ONE_SUCCESS,
    ONE_FAILED,
    ONE_DONE,
    NONE_FAILED,
    NONE_FAILED_MIN_ONE_SUCCESS,
    NONE_SKIPPED,
    ALWAYS;

    /** The name used in DAG files and in Airflow, e.g. {@code none_failed}. */
    public String fileName() {
        return name().toLowerCase();
    }

    public static Optional<TriggerRule> fromFileName(String text) {
        for (TriggerRule rule : values()) {
            if (rule.fileName().equals(text)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** All file names, comma separated, for error messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(TriggerRule::fileName).collect(Collectors.joining(", "));
    }
}
