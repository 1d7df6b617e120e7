package dev.gust.scheduler.operators.ecs;

import dev.gust.scheduler.operators.OperatorOutcome;
import java.util.List;
import java.util.Set;

/**
 * How a stopped ECS task ends the try, as Airflow's EcsRunTaskOperator decides it: a container
 * whose exit code is in {@code skip_on_exit_code} skips the task, a container with no exit code
 * (it never started: image pull error, out of capacity) or a non-zero one fails it, otherwise it
 * succeeded.
 */
final class EcsExitCodes {

    /** One container of a stopped task: its name, exit code (null if it never ran) and ECS's reason. */
    record StoppedContainer(String name, Integer exitCode, String reason) {}

    private EcsExitCodes() {}

    static OperatorOutcome outcome(
            String taskArn, String stoppedReason, List<StoppedContainer> containers, Set<Integer> skipOnExitCode) {
        for (StoppedContainer c : containers) {
            if (c.exitCode() != null && skipOnExitCode.contains(c.exitCode())) {
                return new OperatorOutcome.Skipped("container " + c.name() + " of ECS task " + taskArn + " exited with "
                        + c.exitCode() + " (in skip_on_exit_code)");
            }
        }
        for (StoppedContainer c : containers) {
            if (c.exitCode() == null) {
                return new OperatorOutcome.Failed(
                        "container " + c.name() + " of ECS task " + taskArn + " has no exit code: it did not run ("
                                + (c.reason() != null ? c.reason() : stoppedReason) + ")");
            }
            if (c.exitCode() != 0) {
                return new OperatorOutcome.Failed("container " + c.name() + " of ECS task " + taskArn
                        + " exited with " + c.exitCode() + (c.reason() == null ? "" : " (" + c.reason() + ")")
                        + "; stopped reason: " + stoppedReason);
            }
        }
        if (containers.isEmpty()) {
            return new OperatorOutcome.Failed("ECS task " + taskArn + " stopped without containers: " + stoppedReason);
        }
        return OperatorOutcome.success();
    }
}
