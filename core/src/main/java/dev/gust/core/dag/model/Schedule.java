package dev.gust.core.dag.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When a DAG gets runs: never by itself, once, on a cron expression, at a fixed interval, or
 * whenever the datasets it consumes are updated. Computing fire times is the scheduler's job;
 * this is only the validated description of what the DAG file asked for.
 */
public sealed interface Schedule {

    /** Manual runs only ({@code schedule: null}). */
    record None() implements Schedule {}

    /** A single run at the start date ({@code @once}). */
    record Once() implements Schedule {}

    /**
     * A validated 5-field UNIX cron expression; {@code preset} keeps the text the user wrote
     * when it was a preset like {@code @daily}, and is null otherwise.
     */
    record Cron(String expression, String preset) implements Schedule {
        public Cron {
            Objects.requireNonNull(expression, "expression");
        }
    }

    /** A run every {@code interval}, counted from the start date. */
    record FixedInterval(Duration interval) implements Schedule {
        public FixedInterval {
            Objects.requireNonNull(interval, "interval");
        }
    }

    /** A run each time all of these datasets have been updated. */
    record Datasets(List<String> uris) implements Schedule {
        public Datasets {
            uris = List.copyOf(uris);
        }
    }
}
