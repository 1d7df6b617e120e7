package dev.gust.core.store.datasets;

import java.time.Instant;

/**
 * One row of {@code dataset_event}: an update of a dataset, by a task's success (with the
 * producing DAG, run, task and map index) or from outside (through the API; no source).
 * {@code extra} is JSON text.
 */
public record DatasetEvent(
        long id,
        long datasetId,
        String datasetUri,
        String extra,
        String sourceDagId,
        String sourceTaskId,
        String sourceRunId,
        int sourceMapIndex,
        Instant timestamp) {}
