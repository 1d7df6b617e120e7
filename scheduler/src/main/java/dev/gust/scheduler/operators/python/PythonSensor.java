package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.sensors.Sensor;
import dev.gust.scheduler.operators.sensors.SensorFailedException;
import dev.gust.scheduler.operators.sensors.SensorSkippedException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Airflow's PythonSensor: each poke calls the callable in a fresh Python process; a truthy
 * return (or a PokeReturnValue whose {@code is_done} is) ends the wait, and a PokeReturnValue's
 * {@code xcom_value} becomes XCom {@code return_value}. AirflowSkipException skips the task,
 * AirflowFailException fails it (soft_fail makes that a skip), another exception fails the try.
 */
public final class PythonSensor implements Sensor {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.PYTHON_SENSOR;
    }

    @Override
    public boolean poke(TaskRunContext context) throws InterruptedException {
        PythonCall call = PythonCall.fromArgs(context).withXcomPush(false);
        AtomicBoolean done = new AtomicBoolean();
        OperatorOutcome outcome = PythonOutcomes.run(context, call, returned -> {
            done.set(returned.truthy());
            if (returned.truthy() && returned.pokeReturnValue() && returned.value() != null) {
                context.pushXcom("return_value", returned.value());
            }
            return OperatorOutcome.success();
        });
        return switch (outcome) {
            case OperatorOutcome.Success s -> done.get();
            case OperatorOutcome.Skipped s -> throw new SensorSkippedException(s.reason());
            case OperatorOutcome.FailedWithoutRetry f -> throw new SensorFailedException(f.reason());
            case OperatorOutcome.Failed f -> throw new IllegalStateException(f.reason());
            default -> throw new IllegalStateException("unexpected outcome of a Python poke: " + outcome);
        };
    }
}
