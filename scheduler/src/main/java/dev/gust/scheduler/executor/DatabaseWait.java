package dev.gust.scheduler.executor;

import dev.gust.core.store.StoreException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a database write of a running task while the database is away (a restart, a
 * failover), instead of failing a try whose work is done: the write is retried every second for
 * up to {@link #WINDOW}. Only writes that are safe to repeat belong here (conditional state
 * changes, upserts); past the window some scheduler's zombie sweep has taken the row anyway.
 */
final class DatabaseWait {

    static final Duration WINDOW = Duration.ofMinutes(2);
    private static final Duration PAUSE = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(DatabaseWait.class);

    private DatabaseWait() {}

    /**
     * Runs {@code write} until it succeeds; rethrows its failure once the window is over, when
     * {@code giveUp} says so (the scheduler is shutting down), or when interrupted.
     */
    static <T> T retry(String what, Supplier<T> write, BooleanSupplier giveUp) {
        long deadline = System.nanoTime() + WINDOW.toNanos();
        boolean warned = false;
        while (true) {
            try {
                T result = write.get();
                if (warned) {
                    log.info("{}: done after the database came back", what);
                }
                return result;
            } catch (StoreException e) {
                if (System.nanoTime() > deadline || giveUp.getAsBoolean()) {
                    throw e;
                }
                if (!warned) {
                    log.warn("{}: the database does not answer, retrying every second: {}", what, e.getMessage(), e);
                    warned = true;
                }
                try {
                    Thread.sleep(PAUSE);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
