package dev.gust.scheduler.executor;

import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.scheduler.operators.TaskLogWriter;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task try's log, written to the database in chunks while the task runs: a chunk is flushed
 * when it grows past a size or after a short delay, so that the UI follows a running task and
 * the log outlives the process. Each line is timestamped and passed through the secret masker
 * before it is kept anywhere, and the try's log is capped ({@link TaskLogCap}).
 */
final class DatabaseTaskLog implements TaskLogWriter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseTaskLog.class);
    private static final int FLUSH_BYTES = 64 * 1024;
    private static final long FLUSH_NANOS = 250_000_000L;

    private final TaskLogRepository logs;
    private final TaskInstanceKey key;
    private final int tryNumber;
    private final UnaryOperator<String> masker;
    private final StringBuilder buffer = new StringBuilder();
    private final TaskLogCap cap;
    private long bufferedSince;
    /** While true, the buffer is being written by someone else (a grouped finish): flushes wait their turn. */
    private boolean handedOff;

    DatabaseTaskLog(TaskLogRepository logs, TaskInstanceKey key, int tryNumber, UnaryOperator<String> masker) {
        this(logs, key, tryNumber, masker, logs.maxTryBytes() == 0 ? 0 : storedSoFar(logs, key, tryNumber));
    }

    /** A try's log whose stored size is already known (read with the claim): no round trip to start it. */
    DatabaseTaskLog(
            TaskLogRepository logs,
            TaskInstanceKey key,
            int tryNumber,
            UnaryOperator<String> masker,
            long storedBytes) {
        this.logs = logs;
        this.key = key;
        this.tryNumber = tryNumber;
        this.masker = masker;
        this.cap = new TaskLogCap(logs.maxTryBytes(), storedBytes);
    }

    private static long storedSoFar(TaskLogRepository logs, TaskInstanceKey key, int tryNumber) {
        try {
            return logs.storedBytes(key, tryNumber);
        } catch (RuntimeException e) {
            // The database is away: count from zero rather than fail the task over its log.
            log.warn("cannot read the log size of {} try {}: {}", key, tryNumber, e.getMessage(), e);
            return 0;
        }
    }

    @Override
    public synchronized void line(String text) {
        if (buffer.isEmpty()) {
            bufferedSince = System.nanoTime();
        }
        Instant now = Instant.now();
        String kept = cap.admit(
                TaskLogRepository.formatLine(now, masker.apply(text)),
                notice -> TaskLogRepository.formatLine(now, notice));
        if (kept == null) {
            return;
        }
        appendInChunks(kept);
        if (buffer.length() >= FLUSH_BYTES || System.nanoTime() - bufferedSince >= FLUSH_NANOS) {
            flush();
        }
    }

    /**
     * A line longer than a chunk is split over several, so that every stored chunk stays small
     * and a page of the log (whole chunks) stays bounded however long a task's lines are.
     */
    private void appendInChunks(String text) {
        int from = 0;
        while (text.length() - from > FLUSH_BYTES - buffer.length() && buffer.length() < FLUSH_BYTES) {
            int to = from + FLUSH_BYTES - buffer.length();
            if (Character.isHighSurrogate(text.charAt(to - 1))) {
                to--;
            }
            buffer.append(text, from, to);
            from = to;
            flush();
            if (!buffer.isEmpty()) {
                break; // the database is away: keep the rest buffered and retry on the next flush
            }
        }
        buffer.append(text, from, text.length());
    }

    /** Writes what is buffered; called by the executor's timer too, so a quiet task's last lines appear. */
    synchronized void flush() {
        if (buffer.isEmpty() || handedOff) {
            return;
        }
        try {
            logs.append(key, tryNumber, buffer.toString());
            buffer.setLength(0);
        } catch (RuntimeException e) {
            // Keep the lines and try again on the next flush: the database may be back by then.
            log.warn("cannot write the log of {} try {} yet: {}", key, tryNumber, e.getMessage(), e);
        }
    }

    /**
     * The buffered text, for a statement that writes it together with the try's end (see
     * {@link GroupedFinishes}); until {@link #handedBack} the timer's flushes leave it alone, so
     * it is never written twice.
     */
    synchronized String handOff() {
        handedOff = true;
        return buffer.toString();
    }

    /** The statement that took the buffer is over: {@code written} says whether the text is stored now. */
    synchronized void handedBack(boolean written) {
        if (written) {
            buffer.setLength(0);
        }
        handedOff = false;
    }

    @Override
    public void close() {
        flush();
    }
}
