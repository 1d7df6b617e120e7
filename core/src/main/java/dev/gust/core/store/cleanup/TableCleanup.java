package dev.gust.core.store.cleanup;

import java.time.Duration;

/**
 * What cleaning one table did: {@code candidates} rows were old, {@code deleted} went (fewer when
 * rows were locked by another transaction or still had children), in {@code batches} transactions
 * the slowest of which took {@code slowestBatch}; {@code archive} holds them (null when skipped or
 * nothing went); {@code stoppedEarly} when lock waits made it give up.
 */
public record TableCleanup(
        String table,
        long candidates,
        long deleted,
        String archive,
        int batches,
        Duration took,
        Duration slowestBatch,
        boolean stoppedEarly) {}
