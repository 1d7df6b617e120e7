package dev.gust.core.dag.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One of Airflow 3's deadline alerts of a DAG: a run that has not finished by its {@code reference}
 * time plus {@code interval} (which may be negative) missed its deadline, and {@code callbacks} are
 * called once for it. The reference is a run's logical date or the time it was queued, or the fixed
 * instant {@code fixedAt}.
 */
public record DeadlineAlert(Reference reference, Instant fixedAt, Duration interval, List<CallbackSpec> callbacks) {

    /** Airflow's built-in {@code DeadlineReference}s Gust computes. */
    public enum Reference {
        DAGRUN_LOGICAL_DATE,
        DAGRUN_QUEUED_AT,
        FIXED_DATETIME
    }

    public DeadlineAlert {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(interval, "interval");
        if (reference == Reference.FIXED_DATETIME) {
            Objects.requireNonNull(fixedAt, "fixedAt");
        }
        callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
    }
}
