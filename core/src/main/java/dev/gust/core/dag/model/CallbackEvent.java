package dev.gust.core.dag.model;

import java.util.Optional;

/**
 * The events a callback can be attached to, under Airflow's argument names: a task's five
 * ({@code on_execute_callback} ... {@code on_skipped_callback}) and, with the same names, a DAG's
 * two ({@link #SUCCESS} and {@link #FAILURE} of a run).
 */
public enum CallbackEvent {
    EXECUTE("on_execute_callback"),
    SUCCESS("on_success_callback"),
    FAILURE("on_failure_callback"),
    RETRY("on_retry_callback"),
    SKIPPED("on_skipped_callback");

    private final String key;

    CallbackEvent(String key) {
        this.key = key;
    }

    /** The key a DAG file writes it as. */
    public String key() {
        return key;
    }

    public static Optional<CallbackEvent> ofKey(String key) {
        for (CallbackEvent event : values()) {
            if (event.key.equals(key)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
