package dev.gust.core.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code @once}: a single automated run at the start date, with an interval of length zero,
 * whatever catchup says, and none after it (Airflow's {@code OnceTimetable}). A DAG without a
 * start date never runs by itself.
 */
public record OnceTimetable() implements Timetable {

    @Override
    public Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        if (lastAutomated != null || restriction.earliest() == null || restriction.isAfterEnd(restriction.earliest())) {
            return Optional.empty();
        }
        return Optional.of(DataInterval.exact(restriction.earliest()));
    }

    @Override
    public DataInterval forManualRun(Instant logicalDate) {
        return DataInterval.exact(logicalDate);
    }
}
