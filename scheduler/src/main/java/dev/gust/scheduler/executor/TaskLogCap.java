package dev.gust.scheduler.executor;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The cap on one try's stored log ({@code logging.max_task_log_size}): lines are let through
 * while the try's log stays within the cap; the first line that would cross it is replaced by one
 * line saying that the log was cut there, and every later line is discarded. The task itself is
 * not touched: it keeps running and its outcome is what it would have been. Not thread-safe: its
 * writer holds the lock.
 */
final class TaskLogCap {

    private final long maxBytes;
    private long kept;
    private boolean cut;

    /**
     * @param maxBytes the most the try's log may hold, 0 for no cap
     * @param alreadyStored bytes the try's log held before this writer started (a retried worker)
     */
    TaskLogCap(long maxBytes, long alreadyStored) {
        this.maxBytes = maxBytes;
        this.kept = alreadyStored;
        this.cut = maxBytes > 0 && alreadyStored >= maxBytes;
    }

    /**
     * What to store for one formatted line: the line itself, the line that says the log was cut,
     * or null to store nothing.
     */
    String admit(String formattedLine, Function<String, String> format) {
        if (cut) {
            return null;
        }
        long size = formattedLine.getBytes(StandardCharsets.UTF_8).length;
        if (maxBytes == 0 || kept + size <= maxBytes) {
            kept += size;
            return formattedLine;
        }
        cut = true;
        return format.apply("Gust: this log was cut at " + kept + " bytes (logging.max_task_log_size is " + maxBytes
                + " bytes); the rest of this try's output is discarded. The task keeps running.");
    }

    boolean isCut() {
        return cut;
    }
}
