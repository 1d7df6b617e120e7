package dev.gust.core.state;

import dev.gust.core.dag.model.TaskSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a failed attempt is retried and when, as Airflow decides it
 * ({@code TaskInstance.is_eligible_to_retry}, {@code next_retry_datetime}). Try numbers count
 * attempts from 1: {@code tryNumber} is the attempt that just failed.
 *
 * <p>Without exponential backoff the next attempt comes {@code retry_delay} after the failure.
 * With it, the delay for try {@code n} is a deterministic pick in
 * {@code [retry_delay * 2^(n-1), 2 * retry_delay * 2^(n-1))} seconds (at least 1 second): the
 * lower bound plus the SHA-1 of a key, as a number, modulo that bound. It is then capped at 24
 * hours (Airflow's default {@code max_task_retry_delay}) and at the task's
 * {@code max_retry_delay}, which applies to backoff only, as in Airflow. The jitter spreads the
 * retries of many tasks that failed together; being a hash, it is the same every time it is
 * computed for the same attempt. Airflow's key is {@code "dag_id#task_id#logical_date#try_number"};
 * pass that to {@link #nextRetryAt(TaskSpec, int, Instant, String)} to get Airflow's exact numbers.
 */
public final class RetryPolicy {

    /** Airflow's default {@code [core] max_task_retry_delay}: no backoff waits longer. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofHours(24);

    private RetryPolicy() {}

    /**
     * Whether the failed attempt {@code tryNumber} gets another try. {@code retries} is the
     * instance's retry budget: the task's {@code retries}, raised by Airflow on a clear to
     * {@code try_number + retries} so a cleared task gets its full retries again.
     */
    public static boolean shouldRetry(int tryNumber, int retries) {
        requireTryNumber(tryNumber);
        return retries > 0 && tryNumber <= retries;
    }

    /**
     * What follows the failure of attempt {@code tryNumber} of a task instance whose retry budget
     * is {@code maxTries}: the time of the next attempt, or empty when none is left and the task
     * instance fails. The one decision every writer of a failure (executor, zombie sweep) uses.
     */
    public static Optional<Instant> retryAfterFailure(TaskSpec task, int tryNumber, int maxTries, Instant failedAt) {
        return shouldRetry(tryNumber, maxTries)
                ? Optional.of(nextRetryAt(task, tryNumber, failedAt))
                : Optional.empty();
    }

    /** When the next attempt is due, with the jitter keyed by task id and try number. */
    public static Instant nextRetryAt(TaskSpec task, int tryNumber, Instant failedAt) {
        return nextRetryAt(task, tryNumber, failedAt, task.taskId() + "#" + tryNumber);
    }

    /** When the next attempt is due, with the jitter keyed by {@code jitterKey}. */
    public static Instant nextRetryAt(TaskSpec task, int tryNumber, Instant failedAt, String jitterKey) {
        return failedAt.plus(retryDelay(task, tryNumber, jitterKey));
    }

    /** The wait between the failure of attempt {@code tryNumber} and the next attempt. */
    public static Duration retryDelay(TaskSpec task, int tryNumber, String jitterKey) {
        requireTryNumber(tryNumber);
        if (!task.retryExponentialBackoff()) {
            return task.retryDelay();
        }
        long cap = MAX_RETRY_DELAY.toSeconds();
        double base = task.retryDelay().getSeconds() + task.retryDelay().getNano() / 1e9;
        double exact = base * Math.pow(2, tryNumber - 1);
        long minBackoff = exact >= cap ? cap : Math.max(1, (long) Math.ceil(exact));
        long jitter = sha1(jitterKey).mod(BigInteger.valueOf(minBackoff)).longValue();
        Duration delay = Duration.ofSeconds(Math.min(minBackoff + jitter, cap));
        Duration max = task.maxRetryDelay();
        if (max != null && max.isPositive() && max.compareTo(delay) < 0) {
            return max;
        }
        return delay;
    }

    private static void requireTryNumber(int tryNumber) {
        if (tryNumber < 1) {
            throw new IllegalArgumentException("try numbers start at 1, got " + tryNumber);
        }
    }

    private static BigInteger sha1(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
