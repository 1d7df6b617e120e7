package dev.gust.core.store.runs;

import java.time.Instant;

/**
 * What it takes to create a DAG run; {@code runType} is scheduled, manual, backfill or
 * dataset_triggered; {@code note} the user's note (null for none).
 */
public record NewDagRun(
        String dagId,
        String runId,
        Instant logicalDate,
        Instant dataIntervalStart,
        Instant dataIntervalEnd,
        String runType,
        String confJson,
        boolean externalTrigger,
        String dagVersionHash,
        String note) {}
