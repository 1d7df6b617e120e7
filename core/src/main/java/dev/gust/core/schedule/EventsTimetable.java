package dev.gust.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's {@code EventsTimetable}: a run at each listed instant, with an interval of length
 * zero, none before the start date nor after the end date. Without catchup, events that passed
 * before the latest one are skipped; the latest already past still runs if it has not (Airflow
 * remembers the next event when it creates a run, Gust works it out when the run is due, and a
 * run created a moment late must not skip its own event). With {@code restrictToEvents} a
 * manual run covers the latest event at or before its logical date, or the first event when all
 * are later; otherwise its own date.
 */
public record EventsTimetable(List<Instant> events, boolean restrictToEvents) implements Timetable {

    public EventsTimetable {
        events = events.stream().distinct().sorted().toList();
    }

    @Override
    public Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        Instant earliest = restriction.earliest();
        if (!restriction.catchup()) {
            Instant floor = latestAtOrBefore(now).orElse(now);
            if (earliest == null || floor.isAfter(earliest)) {
                earliest = floor;
            }
        }
        for (Instant event : events) {
            if (earliest != null && event.isBefore(earliest)) {
                continue;
            }
            if (lastAutomated != null && !event.isAfter(lastAutomated.end())) {
                continue;
            }
            return restriction.isAfterEnd(event) ? Optional.empty() : Optional.of(DataInterval.exact(event));
        }
        return Optional.empty();
    }

    @Override
    public DataInterval forManualRun(Instant logicalDate) {
        if (!restrictToEvents || events.isEmpty()) {
            return DataInterval.exact(logicalDate);
        }
        return DataInterval.exact(latestAtOrBefore(logicalDate).orElse(events.getFirst()));
    }

    private Optional<Instant> latestAtOrBefore(Instant instant) {
        Instant latest = null;
        for (Instant event : events) {
            if (event.isAfter(instant)) {
                break;
            }
            latest = event;
        }
        return Optional.ofNullable(latest);
    }
}
