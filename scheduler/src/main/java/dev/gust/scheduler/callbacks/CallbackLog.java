package dev.gust.scheduler.callbacks;

import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.template.SecretMasker;
import dev.gust.scheduler.operators.TaskLogWriter;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a callback's output goes, secrets masked: appended line by line to its task try's log
 * (so the UI shows it under the task), and kept for the request row's {@code output} (the only
 * place a DAG's callback's output is kept: runs have no log of their own).
 */
final class CallbackLog implements TaskLogWriter {

    private static final Logger log = LoggerFactory.getLogger(CallbackLog.class);
    private static final int MAX_KEPT = 64 * 1024;
    private static final int APPEND_ATTEMPTS = 5;

    private final TaskLogRepository logs;
    private final TaskInstanceKey key;
    private final Integer tryNumber;
    private final SecretMasker masker;
    private final Clock clock;
    private final String prefix;
    private final StringBuilder kept = new StringBuilder();

    /** {@code key} null for a DAG's callback; {@code prefix} starts every line ("[on_failure_callback] "). */
    CallbackLog(
            TaskLogRepository logs,
            TaskInstanceKey key,
            Integer tryNumber,
            SecretMasker masker,
            Clock clock,
            String prefix) {
        this.logs = logs;
        this.key = key;
        this.tryNumber = tryNumber;
        this.masker = masker;
        this.clock = clock;
        this.prefix = prefix;
    }

    @Override
    public synchronized void line(String text) {
        String masked = prefix + masker.mask(text);
        if (kept.length() < MAX_KEPT) {
            kept.append(masked, 0, Math.min(masked.length(), MAX_KEPT - kept.length()))
                    .append('\n');
        }
        if (key == null) {
            return;
        }
        // A chunk's number is the next free one, so two writers of one try's log (callbacks of one
        // event run at once, or a second scheduler) may pick the same: the loser tries again.
        for (int attempt = 1; ; attempt++) {
            try {
                logs.appendLine(key, tryNumber, clock.instant(), masked);
                return;
            } catch (RuntimeException e) {
                if (attempt == APPEND_ATTEMPTS) {
                    // the row keeps the output; a log line lost while the database is away is not worth failing over
                    log.warn("cannot append a callback's output to the log of {}: {}", key, e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 50));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    SecretMasker masker() {
        return masker;
    }

    synchronized String output() {
        return kept.toString();
    }
}
