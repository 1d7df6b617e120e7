package dev.gust.core.store.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code gust db clean} is asked to do: delete the rows of {@code tables} older than
 * {@code before}, {@code batchSize} rows per transaction, each transaction waiting at most
 * {@code lockTimeout} for a lock; archive them unless {@code skipArchive}. {@code startedAt} names
 * the archive tables.
 */
public record CleanupRequest(
        Instant before,
        List<CleanedTable> tables,
        boolean skipArchive,
        int batchSize,
        Duration lockTimeout,
        Instant startedAt) {

    public static final int DEFAULT_BATCH_SIZE = 10_000;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(1);

    public CleanupRequest {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be 1 or more; got " + batchSize);
        }
        tables = List.copyOf(tables);
    }
}
