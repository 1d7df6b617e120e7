package dev.gust.core.store.cleanup;

import java.time.Duration;

/** What {@link MetadataCleanup} tells as it goes: a table started, a batch committed, a table given up. */
public interface CleanupProgress {

    /** {@code candidates} rows of {@code table} are old; they go to {@code archive} (null when not archived). */
    void tableStarted(CleanedTable table, long candidates, String archive);

    /** Batch {@code number} deleted {@code rows} rows ({@code deletedSoFar} in all) in one transaction. */
    void batchDone(CleanedTable table, int number, int rows, long deletedSoFar, Duration took);

    /** A batch waited {@code lockTimeout} for a lock and was rolled back; it is tried again. */
    void lockWaitGaveUp(CleanedTable table, int attempt);

    CleanupProgress SILENT = new CleanupProgress() {
        @Override
        public void tableStarted(CleanedTable table, long candidates, String archive) {}

        @Override
        public void batchDone(CleanedTable table, int number, int rows, long deletedSoFar, Duration took) {}

        @Override
        public void lockWaitGaveUp(CleanedTable table, int attempt) {}
    };
}
