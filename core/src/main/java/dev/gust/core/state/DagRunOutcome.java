package dev.gust.core.state;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskGraph;
import dev.gust.core.dag.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state a DAG run is in given the states of its task instances, as Airflow's
 * {@code DagRun.update_state} decides it, with the reason Airflow passes to the DAG's callbacks.
 * Once no task instance is unfinished, the run failed if any leaf task instance failed or is
 * upstream_failed, else it succeeded (removed leaf instances do not count). While some are
 * unfinished the run is running, unless none of them can ever move (a deadlock), which fails it.
 *
 * @param state running, success or failed
 * @param reason why, in Airflow's callback words
 */
public record DagRunOutcome(DagRunState state, Reason reason) {

    /** Why a run is in its state; {@link #callbackName()} is what Airflow's callbacks receive. */
    public enum Reason {
        UNFINISHED_TASKS("running"),
        SUCCESS("success"),
        TASK_FAILURE("task_failure"),
        ALL_TASKS_DEADLOCKED("all_tasks_deadlocked");

        private final String callbackName;

        Reason(String callbackName) {
            this.callbackName = callbackName;
        }

        public String callbackName() {
            return callbackName;
        }
    }

    public DagRunOutcome {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Decides the run's state. {@code instances} maps each task id to the states of its task
     * instances (several for a mapped task). A task of the DAG with no instance counts as one
     * instance in state none, not yet created; instances of task ids no longer in the DAG are
     * ignored, as Airflow marks them removed.
     */
    public static DagRunOutcome of(Dag dag, Map<String, List<TaskState>> instances) {
        TaskGraph graph = dag.graph();
        boolean anyUnfinished = false;
        for (String taskId : graph.taskIds()) {
            for (TaskState state : statesOf(taskId, instances)) {
                anyUnfinished |= !state.isFinished();
            }
        }
        if (!anyUnfinished) {
            for (String leaf : graph.leaves()) {
                for (TaskState state : statesOf(leaf, instances)) {
                    if (state == TaskState.FAILED || state == TaskState.UPSTREAM_FAILED) {
                        return new DagRunOutcome(DagRunState.FAILED, Reason.TASK_FAILURE);
                    }
                }
            }
            // Every leaf instance is now success, skipped or removed.
            return new DagRunOutcome(DagRunState.SUCCESS, Reason.SUCCESS);
        }
        if (deadlocked(dag, graph, instances)) {
            return new DagRunOutcome(DagRunState.FAILED, Reason.ALL_TASKS_DEADLOCKED);
        }
        return new DagRunOutcome(DagRunState.RUNNING, Reason.UNFINISHED_TASKS);
    }

    /**
     * No unfinished instance can move: none is in flight (queued, running, restarting), and the
     * trigger rule of every waiting one says wait (a decision to run, skip or fail it is
     * progress). As in Airflow, a run
     * with an unfinished depends_on_past task (wait_for_downstream sets it too) is never called
     * deadlocked: that task may wait on another run ({@link PastRunDependency}), not on this one.
     */
    private static boolean deadlocked(Dag dag, TaskGraph graph, Map<String, List<TaskState>> instances) {
        for (TaskSpec task : dag.tasks()) {
            List<TaskState> states = statesOf(task.taskId(), instances);
            if (states.stream().allMatch(TaskState::isFinished)) {
                continue;
            }
            if (task.dependsOnPast()) {
                return false;
            }
            for (TaskState state : states) {
                if (state.isInFlight()) {
                    return false;
                }
            }
            List<TaskState> upstream = new ArrayList<>();
            for (String up : graph.upstream(task.taskId())) {
                upstream.addAll(statesOf(up, instances));
            }
            if (TriggerRuleEvaluator.decide(task.triggerRule(), UpstreamStates.of(upstream)) != TriggerDecision.WAIT) {
                return false;
            }
        }
        return true;
    }

    private static List<TaskState> statesOf(String taskId, Map<String, List<TaskState>> instances) {
        List<TaskState> states = instances.get(taskId);
        return states == null || states.isEmpty() ? List.of(TaskState.NONE) : states;
    }
}
