package dev.gust.core.store.datasets;

import java.time.Instant;

/** A DAG run a dataset event triggered, as Airflow's {@code BasicDAGRun} shows it. */
public record TriggeredRun(
        String dagId,
        String runId,
        Instant logicalDate,
        Instant startDate,
        Instant endDate,
        String state,
        Instant dataIntervalStart,
        Instant dataIntervalEnd) {}
