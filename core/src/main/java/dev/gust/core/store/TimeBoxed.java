package dev.gust.core.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A call that may block on the database (a pool waiting out its connection timeout while
 * PostgreSQL is gone) given a limit, for the health endpoints: a load balancer or container
 * health check that times out sees "no answer", where it should see "unhealthy" (503).
 */
public final class TimeBoxed {

    /** How long a health endpoint waits for the database before it answers "does not answer". */
    public static final Duration DATABASE_PROBE_TIMEOUT = Duration.ofSeconds(3);

    private TimeBoxed() {}

    /**
     * {@code call}'s result, or empty when it threw or did not return within {@code limit} (it
     * then goes on in its own virtual thread and its result is dropped).
     */
    public static <T> Optional<T> call(String threadName, Duration limit, Supplier<T> call) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(
                call, command -> Thread.ofVirtual().name(threadName).start(command));
        try {
            return Optional.ofNullable(result.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
