package dev.gust.core.dag.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * When a DAG gets runs: never by itself, once, on a cron expression, at a fixed interval,
 * whenever the datasets it consumes are updated, or by one of Airflow's built-in timetables
 * (cron or delta triggers, listed events). Computing fire times is the scheduler's job; this is
 * only the validated description of what the DAG file asked for.
 */
public sealed interface Schedule {

    /** Manual runs only ({@code schedule: null}). */
    record None() implements Schedule {}

    /** A single run at the start date ({@code @once}). */
    record Once() implements Schedule {}

    /**
     * A validated 5-field UNIX cron expression; {@code preset} keeps the text the user wrote
     * when it was a preset like {@code @daily}, and is null otherwise. {@code timezone} is the
     * one a {@code CronDataIntervalTimetable} names, null for the DAG's own.
     */
    record Cron(String expression, String preset, ZoneId timezone) implements Schedule {
        public Cron {
            Objects.requireNonNull(expression, "expression");
        }

        public Cron(String expression, String preset) {
            this(expression, preset, null);
        }
    }

    /** A run every {@code interval}, counted from the start date. */
    record FixedInterval(Duration interval) implements Schedule {
        public FixedInterval {
            Objects.requireNonNull(interval, "interval");
        }
    }

    /**
     * A run each time the datasets have been updated: all of {@code uris}, or, when {@code
     * condition} is set (Airflow's {@code &} and {@code |}), as it says; {@code uris} are then the
     * URIs it names. See {@link DatasetCondition#of}.
     */
    record Datasets(List<String> uris, DatasetCondition condition) implements Schedule {
        public Datasets {
            uris = List.copyOf(uris);
        }

        public Datasets(List<String> uris) {
            this(uris, null);
        }
    }

    /**
     * Airflow's {@code CronTriggerTimetable} (one expression) and
     * {@code MultipleCronTriggerTimetable} (several): a run at each time any expression fires in
     * {@code timezone}, covering the {@code interval} before it (zero by default).
     * {@code runImmediately} and {@code runImmediatelyWithin} say whether a DAG without a start
     * date first runs the latest time already past (always, or when it passed at most that long
     * ago) rather than waiting for the next.
     */
    record CronTrigger(
            List<String> expressions,
            ZoneId timezone,
            Duration interval,
            boolean runImmediately,
            Duration runImmediatelyWithin)
            implements Schedule {
        public CronTrigger {
            expressions = List.copyOf(expressions);
            Objects.requireNonNull(timezone, "timezone");
            Objects.requireNonNull(interval, "interval");
        }
    }

    /**
     * Airflow's {@code DeltaTriggerTimetable}: a run every {@code delta} from the start date,
     * covering the {@code interval} before it (zero by default).
     */
    record DeltaTrigger(Duration delta, Duration interval) implements Schedule {
        public DeltaTrigger {
            Objects.requireNonNull(delta, "delta");
            Objects.requireNonNull(interval, "interval");
        }
    }

    /**
     * Airflow's {@code EventsTimetable}: a run at each of {@code dates} (sorted, without
     * duplicates). With {@code restrictToEvents}, a manual run's data interval is the latest event at
     * or before its logical date (the first event when all are later). {@code description} is the user's name for it, or null.
     */
    record Events(List<Instant> dates, boolean restrictToEvents, String description) implements Schedule {
        public Events {
            dates = dates.stream().distinct().sorted().toList();
        }
    }

    /**
     * Airflow's {@code DatasetOrTimeSchedule}: runs on {@code timetable} and also whenever the
     * datasets are updated (all of {@code uris}, or as {@code condition} says when set).
     */
    record DatasetsOrTime(List<String> uris, Schedule timetable, DatasetCondition condition) implements Schedule {
        public DatasetsOrTime {
            uris = List.copyOf(uris);
            Objects.requireNonNull(timetable, "timetable");
        }

        public DatasetsOrTime(List<String> uris, Schedule timetable) {
            this(uris, timetable, null);
        }
    }
}
