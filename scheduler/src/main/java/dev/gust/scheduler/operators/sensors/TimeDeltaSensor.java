package dev.gust.scheduler.operators.sensors;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Airflow's TimeDeltaSensor: waits until {@code delta} after the end of the run's data interval. */
public final class TimeDeltaSensor implements Sensor {

    private final Clock clock;

    public TimeDeltaSensor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.TIME_DELTA_SENSOR;
    }

    @Override
    public boolean poke(TaskRunContext context) {
        Duration delta = OperatorArgs.of(context).duration("delta", Duration.ZERO);
        Instant target = context.dataIntervalEnd().plus(delta);
        context.log().info("Checking if the time (%s) has come", target);
        return !clock.instant().isBefore(target);
    }
}
