package dev.gust.core.state;

import static dev.gust.core.state.Tasks.retrying;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.dag.model.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    private static final Instant FAILED_AT = Instant.parse("2024-01-01T10:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @ParameterizedTest(name = "try {0} of retries={1} -> retry {2}")
    @CsvSource({
        "1, 0, false",
        "1, 1, true",
        "2, 1, false",
        "1, 3, true",
        "3, 3, true",
        "4, 3, false",
    })
    void retriesUntilTheBudgetIsSpent(int tryNumber, int retries, boolean expected) {
        assertThat(RetryPolicy.shouldRetry(tryNumber, retries)).isEqualTo(expected);
    }

    @Test
    void tryNumbersStartAtOne() {
        assertThatThrownBy(() -> RetryPolicy.shouldRetry(0, 1)).hasMessage("try numbers start at 1, got 0");
    }

    @Test
    void withoutBackoffTheDelayIsFixed() {
        TaskSpec task = retrying(5, FIVE_MINUTES, false, Duration.ofMinutes(1));
        assertThat(RetryPolicy.nextRetryAt(task, 1, FAILED_AT)).isEqualTo(FAILED_AT.plus(FIVE_MINUTES));
        // max_retry_delay applies to backoff only, as in Airflow.
        assertThat(RetryPolicy.nextRetryAt(task, 4, FAILED_AT)).isEqualTo(FAILED_AT.plus(FIVE_MINUTES));
    }

    /** The numbers Airflow's next_retry_datetime gives for the same key (computed with its formula in Python). */
    @ParameterizedTest(name = "try {0} -> {1}s")
    @CsvSource({"1, 470", "2, 661", "3, 1219"})
    void backoffMatchesAirflowForAirflowsKey(int tryNumber, long seconds) {
        TaskSpec task = retrying(5, FIVE_MINUTES, true, null);
        String key = "example#flaky#2024-01-01 00:00:00+00:00#" + tryNumber;
        assertThat(RetryPolicy.nextRetryAt(task, tryNumber, FAILED_AT, key)).isEqualTo(FAILED_AT.plusSeconds(seconds));
    }

    @ParameterizedTest(name = "try {0} -> {1}s")
    @CsvSource({"1, 353", "2, 1011", "3, 2340", "10, 86400"})
    void backoffWithTheDefaultKeyDoublesWithJitterAndStopsAtADay(int tryNumber, long seconds) {
        TaskSpec task = retrying(20, FIVE_MINUTES, true, null);
        assertThat(RetryPolicy.retryDelay(task, tryNumber, "flaky#" + tryNumber))
                .hasSeconds(seconds);
        assertThat(RetryPolicy.nextRetryAt(task, tryNumber, FAILED_AT)).isEqualTo(FAILED_AT.plusSeconds(seconds));
    }

    @Test
    void backoffStaysWithinItsWindowForEveryTry() {
        TaskSpec task = retrying(40, FIVE_MINUTES, true, null);
        for (int tryNumber = 1; tryNumber <= 40; tryNumber++) {
            long low = Math.min(300L << Math.min(tryNumber - 1, 20), 86_400);
            long delay =
                    RetryPolicy.retryDelay(task, tryNumber, "k" + tryNumber).toSeconds();
            assertThat(delay).as("try " + tryNumber).isBetween(low, Math.min(2 * low - 1, 86_400));
        }
    }

    @Test
    void maxRetryDelayCapsTheBackoff() {
        TaskSpec task = retrying(5, FIVE_MINUTES, true, Duration.ofMinutes(10));
        assertThat(RetryPolicy.retryDelay(task, 1, "flaky#1")).hasSeconds(353);
        assertThat(RetryPolicy.retryDelay(task, 2, "flaky#2")).isEqualTo(Duration.ofMinutes(10));
        assertThat(RetryPolicy.retryDelay(retrying(5, FIVE_MINUTES, true, Duration.ZERO), 2, "flaky#2"))
                .hasSeconds(1011);
    }

    @Test
    void aZeroOrSubSecondDelayBacksOffFromOneSecond() {
        assertThat(RetryPolicy.retryDelay(retrying(5, Duration.ZERO, true, null), 1, "flaky#1"))
                .hasSeconds(1);
        assertThat(RetryPolicy.retryDelay(retrying(5, Duration.ofMillis(400), true, null), 2, "flaky#2"))
                .hasSeconds(1);
    }

    @Test
    void theSameAttemptAlwaysGetsTheSameDelay() {
        TaskSpec task = retrying(5, FIVE_MINUTES, true, null);
        assertThat(RetryPolicy.nextRetryAt(task, 2, FAILED_AT)).isEqualTo(RetryPolicy.nextRetryAt(task, 2, FAILED_AT));
    }
}
