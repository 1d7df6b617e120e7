package dev.gust.core.dag.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The events a callback can be attached to, under Airflow's argument names: a task's five
 * ({@code on_execute_callback} ... {@code on_skipped_callback}) and, with the same names, a DAG's
 * two ({@link #SUCCESS} and {@link #FAILURE} of a run); and a DAG's {@link #SLA_MISS} (Airflow 2's
 * {@code sla_miss_callback}, called with the tasks that missed their SLA) and {@link #DEADLINE}
 * (Airflow 3's {@code deadline}: a run not finished by its deadline).
 */
public enum CallbackEvent {
    EXECUTE("on_execute_callback"),
    SUCCESS("on_success_callback"),
    FAILURE("on_failure_callback"),
    RETRY("on_retry_callback"),
    SKIPPED("on_skipped_callback"),
    SLA_MISS("sla_miss_callback"),
    DEADLINE("deadline");

    /** The events a task's callbacks can be attached to. */
    public static final Set<CallbackEvent> TASK_EVENTS =
            Collections.unmodifiableSet(EnumSet.of(EXECUTE, SUCCESS, FAILURE, RETRY, SKIPPED));

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
