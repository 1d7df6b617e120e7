package dev.gust.core.store.datasets;

import java.time.Instant;

/** One row of {@code dataset_dag_run_queue}: dataset {@code uri} was updated for consumer {@code dagId} at {@code createdAt} and no run consumed it yet. */
public record QueuedEvent(long datasetId, String uri, String dagId, Instant createdAt) {}
