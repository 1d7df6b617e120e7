package dev.gust.scheduler.operators.sensors;

import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorArgs;
import java.time.Duration;

/**
 * The waiting arguments every sensor shares, with Airflow's defaults: {@code mode} poke,
 * {@code poke_interval} 60 s, {@code timeout} 7 days, {@code soft_fail} false,
 * {@code exponential_backoff} false, and {@code max_wait} (the longest interval backoff may
 * reach; unbounded when absent).
 */
public record SensorSettings(
        SensorMode mode,
        Duration pokeInterval,
        Duration timeout,
        boolean softFail,
        boolean exponentialBackoff,
        Duration maxWait) {

    static final Duration DEFAULT_POKE_INTERVAL = Duration.ofSeconds(60);
    static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);

    public static SensorSettings from(OperatorArgs args) {
        Duration pokeInterval = args.duration("poke_interval", DEFAULT_POKE_INTERVAL);
        if (pokeInterval.isNegative()) {
            throw new InvalidArgumentException("argument 'poke_interval' must not be negative");
        }
        return new SensorSettings(
                SensorMode.parse(args.string("mode", "poke")),
                pokeInterval,
                args.duration("timeout", DEFAULT_TIMEOUT),
                args.bool("soft_fail", false),
                args.bool("exponential_backoff", false),
                args.duration("max_wait").orElse(null));
    }

    /** The wait after the {@code pokes}-th unsuccessful poke (1 for the first). */
    Duration intervalAfter(int pokes) {
        if (!exponentialBackoff || pokeInterval.isZero()) {
            return pokeInterval;
        }
        // Airflow doubles the interval at each poke; Gust leaves out its hash-based jitter so
        // the next poke time is predictable.
        Duration interval = pokeInterval.multipliedBy(1L << Math.min(pokes - 1, 30));
        return maxWait != null && interval.compareTo(maxWait) > 0 ? maxWait : interval;
    }

    /**
     * The number of pokes that fit in {@code elapsed} under backoff, for reschedule mode, where
     * each poke is a new try that cannot count its predecessors: with doubling intervals,
     * {@code elapsed ≈ interval * (2^pokes - 1)}.
     */
    int pokesIn(Duration elapsed) {
        if (!exponentialBackoff || pokeInterval.isZero()) {
            return 1;
        }
        double ratio = (double) elapsed.toMillis() / pokeInterval.toMillis();
        return Math.max(1, (int) Math.floor(Math.log(ratio + 1) / Math.log(2)) + 1);
    }
}
