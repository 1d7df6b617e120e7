package dev.gust.scheduler.operators.sensors;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Airflow's ExternalTaskSensor: waits until a task of another DAG ({@code external_task_id}), or
 * each of several ({@code external_task_ids}), or without either that DAG's run, at the logical
 * date minus {@code execution_delta} is in one of {@code allowed_states} (default success). As in
 * Airflow, a task counts by its task instances, so a mapped task is done when every one of its
 * instances is in an allowed state; one instance in {@code failed_states} fails the sensor, one
 * in {@code skipped_states} skips it.
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
        List<String> taskIds = taskIds(args, dagId);
        List<String> allowed = args.stringList("allowed_states", List.of("success"));
        List<String> failed = args.stringList("failed_states", List.of());
        List<String> skipped = args.stringList("skipped_states", List.of());
        Instant logicalDate = context.logicalDate().minus(args.duration("execution_delta", Duration.ZERO));
        if (taskIds.isEmpty()) {
            return pokeDagRun(context, dagId, logicalDate, allowed, failed, skipped);
        }
        boolean allAllowed = true;
        for (String taskId : taskIds) {
            String what = "task '" + taskId + "' of DAG '" + dagId + "'";
            Optional<List<String>> states = context.externalTaskStates(dagId, taskId, logicalDate);
            context.log()
                    .info(
                            "Poking for %s at logical date %s: %s",
                            what,
                            logicalDate,
                            states.map(ExternalTaskSensor::describe).orElse("no run yet"));
            if (states.isEmpty()) {
                allAllowed = false;
                continue;
            }
            for (String state : states.get()) {
                if (failed.contains(state)) {
                    throw new SensorFailedException("The external " + what + " at " + logicalDate + " has "
                            + (states.get().size() > 1 ? "an instance" : "its task instance") + " in failed state "
                            + state + ".");
                }
                if (skipped.contains(state)) {
                    throw new SensorSkippedException("The external " + what + " at " + logicalDate + " has "
                            + (states.get().size() > 1 ? "an instance" : "its task instance") + " in state " + state
                            + ", one of skipped_states.");
                }
            }
            allAllowed &= allowed.containsAll(states.get());
        }
        return allAllowed;
    }

    /** {@code external_task_id} or {@code external_task_ids} (Airflow takes one of them), or none: the whole run. */
    private static List<String> taskIds(OperatorArgs args, String dagId) {
        Optional<String> one = args.string("external_task_id").filter(s -> !s.isBlank());
        List<String> many = args.stringList("external_task_ids");
        if (one.isPresent() && !many.isEmpty()) {
            throw new InvalidArgumentException("external_task_id and external_task_ids are both set (waiting for DAG '"
                    + dagId + "'); Airflow takes one of them: keep external_task_ids for several tasks");
        }
        return one.map(List::of).orElse(new ArrayList<>(many));
    }

    private static boolean pokeDagRun(
            TaskRunContext context,
            String dagId,
            Instant logicalDate,
            List<String> allowed,
            List<String> failed,
            List<String> skipped) {
        String what = "DAG '" + dagId + "'";
        Optional<String> state = context.externalDagRunState(dagId, logicalDate);
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

    /** {@code success}, or for a mapped task its instances' states counted: {@code 3 instances: 2 success, 1 running}. */
    private static String describe(List<String> states) {
        if (states.size() == 1) {
            return states.getFirst();
        }
        return states.size() + " instances: "
                + states.stream()
                        .collect(Collectors.groupingBy(s -> s, java.util.LinkedHashMap::new, Collectors.counting()))
                        .entrySet()
                        .stream()
                        .map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
    }
}
