package dev.gust.core.store.datasets;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code dataset} with the DAGs scheduled on it and the tasks that update it (only
 * those of active DAGs). {@code extra} is JSON text.
 */
public record Dataset(
        long id,
        String uri,
        String extra,
        Instant createdAt,
        Instant updatedAt,
        List<Consumer> consumingDags,
        List<Producer> producingTasks) {

    /** A DAG scheduled on the dataset. */
    public record Consumer(String dagId, Instant createdAt, Instant updatedAt) {}

    /** A task whose success updates the dataset. */
    public record Producer(String dagId, String taskId, Instant createdAt, Instant updatedAt) {}
}
