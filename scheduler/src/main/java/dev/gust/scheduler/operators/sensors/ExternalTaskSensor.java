package dev.gust.scheduler.operators.sensors;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Airflow's ExternalTaskSensor: waits until a task of another DAG (or, without
 * {@code external_task_id}, that DAG's run) at the logical date minus {@code execution_delta}
 * is in one of {@code allowed_states} (default success). A state in {@code failed_states} fails
 * the sensor, one in {@code skipped_states} skips it.
 */
public final class ExternalTaskSensor implements Sensor {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.EXTERNAL_TASK_SENSOR;
    }

    @Override
    public boolean poke(TaskRunContext context) {
        OperatorArgs args = OperatorArgs.of(context);
        String dagId = args.requiredString("external_dag_id");
        Optional<String> taskId = args.string("external_task_id").filter(s -> !s.isBlank());
        List<String> allowed = args.stringList("allowed_states", List.of("success"));
        List<String> failed = args.stringList("failed_states", List.of());
        List<String> skipped = args.stringList("skipped_states", List.of());
        Instant logicalDate = context.logicalDate().minus(args.duration("execution_delta", Duration.ZERO));
        String what = taskId.map(t -> "task '" + t + "' of DAG '" + dagId + "'").orElse("DAG '" + dagId + "'");
        Optional<String> state = taskId.isPresent()
                ? context.externalTaskState(dagId, taskId.get(), logicalDate)
                : context.externalDagRunState(dagId, logicalDate);
        context.log().info("Poking for %s at logical date %s: %s", what, logicalDate, state.orElse("no run yet"));
        if (state.isEmpty()) {
            return false;
        }
        if (failed.contains(state.get())) {
            throw new SensorFailedException(
                    "The external " + what + " at " + logicalDate + " is in failed state " + state.get() + ".");
        }
        if (skipped.contains(state.get())) {
            throw new SensorSkippedException("The external " + what + " at " + logicalDate + " is in state "
                    + state.get() + ", one of skipped_states.");
        }
        return allowed.contains(state.get());
    }
}
