package dev.gust.core.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * No automated runs: the DAG runs when triggered by hand ({@code schedule: null}, Airflow's
 * {@code NullTimetable}) or when its datasets are updated (Airflow's
 * {@code DatasetTriggeredTimetable}; those runs are created elsewhere).
 */
public record TriggeredOnlyTimetable() implements Timetable {

    @Override
    public Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        return Optional.empty();
    }

    @Override
    public DataInterval forManualRun(Instant logicalDate) {
        return DataInterval.exact(logicalDate);
    }
}
