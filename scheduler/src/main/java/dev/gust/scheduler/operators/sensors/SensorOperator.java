package dev.gust.scheduler.operators.sensors;

import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Airflow's BaseSensorOperator around a {@link Sensor}. In {@code poke} mode it pokes, sleeps
 * {@code poke_interval} (doubling with {@code exponential_backoff}) and pokes again until the
 * condition holds (success) or {@code timeout} has passed since this try started. In
 * {@code reschedule} mode it pokes once per try and returns {@link OperatorOutcome.Reschedule},
 * and the timeout counts from the first try, as the task's tries are its pokes. A timeout fails
 * the task without retry (Airflow's AirflowSensorTimeout), or skips it with {@code soft_fail},
 * which also turns a {@link SensorFailedException} into a skip. An interrupt during the sleep
 * ends the task at once with {@link InterruptedException}.
 */
public final class SensorOperator implements Operator {

    private final Sensor sensor;
    private final Clock clock;

    public SensorOperator(Sensor sensor, Clock clock) {
        this.sensor = sensor;
        this.clock = clock;
    }

    @Override
    public OperatorDefinition definition() {
        return sensor.definition();
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws Exception {
        SensorSettings settings = SensorSettings.from(OperatorArgs.of(context));
        boolean reschedule = settings.mode() == SensorMode.RESCHEDULE;
        Instant startedAt = reschedule ? context.firstTryStartedAt() : context.tryStartedAt();
        if (startedAt == null) {
            startedAt = clock.instant();
        }
        Instant deadline = startedAt.plus(settings.timeout());
        int pokes = reschedule ? settings.pokesIn(Duration.between(startedAt, clock.instant())) : 1;
        while (true) {
            try {
                if (sensor.poke(context)) {
                    context.log().info("Success criteria met. Exiting.");
                    return OperatorOutcome.success();
                }
            } catch (SensorSkippedException e) {
                return new OperatorOutcome.Skipped(e.getMessage());
            } catch (SensorFailedException e) {
                return settings.softFail()
                        ? new OperatorOutcome.Skipped(e.getMessage() + " (soft_fail)")
                        : new OperatorOutcome.Failed(e.getMessage());
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                String message = "Sensor has timed out; run duration of "
                        + Duration.between(startedAt, now).toSeconds()
                        + " seconds is more than the specified timeout of "
                        + settings.timeout().toSeconds() + " seconds.";
                return settings.softFail()
                        ? new OperatorOutcome.Skipped(message + " (soft_fail)")
                        : new OperatorOutcome.FailedWithoutRetry(message);
            }
            Duration interval = settings.intervalAfter(pokes);
            if (reschedule) {
                Instant next = now.plus(interval);
                context.log().info("Condition not met; rescheduling to poke again at %s", next);
                return new OperatorOutcome.Reschedule(next);
            }
            Duration remaining = Duration.between(now, deadline);
            Duration sleep = interval.compareTo(remaining) < 0 ? interval : remaining;
            context.log().info("Condition not met; poking again in %s", describe(sleep));
            Thread.sleep(sleep);
            pokes++;
        }
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
