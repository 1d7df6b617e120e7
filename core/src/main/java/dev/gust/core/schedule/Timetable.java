package dev.gust.core.schedule;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a DAG's schedule into data intervals, with Airflow 2's semantics: a scheduled run covers
 * an interval, its logical date is the interval's start, and it is created once the interval has
 * ended. Implementations answer one question, {@link #nextAfter}, the equivalent of Airflow's
 * {@code next_dagrun_info}; catch-up, backfill and "when is the next run" are built on it. Nothing
 * here reads the clock: callers pass {@code now}.
 */
public sealed interface Timetable
        permits CronTimetable,
                CronTriggerTimetable,
                DeltaTriggerTimetable,
                EventsTimetable,
                FixedIntervalTimetable,
                OnceTimetable,
                TriggeredOnlyTimetable {

    /** The timetable of {@code dag}'s schedule, in its time zone. */
    static Timetable of(Dag dag) {
        return of(dag.schedule(), dag.timezone(), dag.startDate());
    }

    /**
     * The timetable of {@code schedule}; cron expressions fire in {@code zone} unless the
     * schedule names its own, and fixed intervals and delta triggers are counted from
     * {@code startDate} (nullable).
     */
    static Timetable of(Schedule schedule, ZoneId zone, Instant startDate) {
        return switch (schedule) {
            case Schedule.Cron cron ->
                new CronTimetable(cron.expression(), cron.timezone() != null ? cron.timezone() : zone);
            case Schedule.FixedInterval fixed -> new FixedIntervalTimetable(fixed.interval(), startDate);
            case Schedule.Once once -> new OnceTimetable();
            case Schedule.None none -> new TriggeredOnlyTimetable();
            case Schedule.Datasets datasets -> new TriggeredOnlyTimetable();
            case Schedule.CronTrigger trigger ->
                new CronTriggerTimetable(
                        trigger.expressions(),
                        trigger.timezone(),
                        trigger.interval(),
                        trigger.runImmediately(),
                        trigger.runImmediatelyWithin());
            case Schedule.DeltaTrigger trigger ->
                new DeltaTriggerTimetable(trigger.delta(), trigger.interval(), startDate);
            case Schedule.Events events -> new EventsTimetable(events.dates(), events.restrictToEvents());
            // runs that datasets trigger are created apart; the time part is an ordinary timetable
            case Schedule.DatasetsOrTime either -> of(either.timetable(), zone, startDate);
        };
    }

    /**
     * The interval of the next automated run after {@code lastAutomated} (null when the DAG has
     * had none), or empty when there is none. The interval may not have ended yet: its run is
     * due when {@code end <= now}. {@code now} only matters with catchup off, where the next
     * run skips to the latest interval that has ended.
     */
    Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now);

    /**
     * The data interval of a run triggered by hand for {@code logicalDate}, Airflow's
     * {@code infer_manual_data_interval}. The run's logical date stays {@code logicalDate}.
     */
    DataInterval forManualRun(Instant logicalDate);

    /**
     * The intervals whose runs are due at {@code now}, oldest first, at most {@code limit}: what
     * a scheduler that was down must create. With catchup off, at most one.
     */
    default List<DataInterval> dueIntervals(
            DataInterval lastAutomated, TimeRestriction restriction, Instant now, int limit) {
        List<DataInterval> due = new ArrayList<>();
        DataInterval last = lastAutomated;
        while (due.size() < limit) {
            Optional<DataInterval> next = nextAfter(last, restriction, now);
            // a changed schedule can align back onto the last run's logical date; never repeat it
            if (next.isEmpty()
                    || next.get().end().isAfter(now)
                    || last != null && !next.get().start().isAfter(last.start())) {
                break;
            }
            due.add(next.get());
            last = next.get();
        }
        return due;
    }

    /** When the next automated run should be created: the end of its interval. */
    default Optional<Instant> nextRunCreationTime(
            DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        return nextAfter(lastAutomated, restriction, now).map(DataInterval::end);
    }

    /**
     * The intervals whose logical date is in {@code [start, end]}, oldest first, as Airflow's
     * {@code dags backfill -s start -e end} creates them. Intervals that have not ended yet are
     * included; whether to run them is the caller's call.
     */
    default List<DataInterval> intervalsBetween(Instant start, Instant end) {
        TimeRestriction restriction = new TimeRestriction(start, end, true);
        List<DataInterval> intervals = new ArrayList<>();
        DataInterval last = null;
        while (true) {
            Optional<DataInterval> next = nextAfter(last, restriction, end);
            if (next.isEmpty() || last != null && !next.get().start().isAfter(last.start())) {
                return intervals;
            }
            intervals.add(next.get());
            last = next.get();
        }
    }
}
