package dev.gust.core.state;

import dev.gust.core.dag.model.TriggerRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Why a task instance is not running yet: Airflow's dependency reasons ("Dependencies Blocking
 * Task From Getting Scheduled"), each a name Airflow uses ({@code Trigger Rule}, {@code Dagrun
 * Running}, {@code Pool Slots Available}...) and a one-line reason, sorted by name as Airflow
 * sorts them. Worked out from facts the caller reads (the run, the upstream states, the pool, the
 * DAG's running tasks) with the same rules the scheduler applies ({@link TriggerRuleEvaluator},
 * {@link PastRunDependency}), so the REST API and the UI say the same thing. Only task instances
 * that wait to be scheduled have reasons; queued, running and finished ones have none.
 */
public final class TaskDependencies {

    /** Airflow's {@code TaskFailedDependency}. */
    public record Failed(String name, String reason) {}

    /**
     * What the reasons are worked out from.
     *
     * @param poolOpenSlots the pool's open slots, null when the pool does not exist
     * @param pastRun the {@code depends_on_past} verdict, null when the task does not depend on the past
     */
    public record Facts(
            String dagId,
            TaskState state,
            DagRunState runState,
            boolean dagPaused,
            TriggerRule triggerRule,
            UpstreamStates upstream,
            List<String> upstreamTaskIds,
            Instant nextRetryAt,
            Instant now,
            String pool,
            Integer poolOpenSlots,
            int poolSlots,
            int dagMaxActiveTasks,
            int dagTasksInFlight,
            PastRunDependency.Verdict pastRun) {}

    /** The states in which a task instance waits to be scheduled and so may be blocked. */
    private static final List<TaskState> WAITING =
            List.of(TaskState.NONE, TaskState.SCHEDULED, TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE);

    private TaskDependencies() {}

    public static List<Failed> of(Facts f) {
        if (!WAITING.contains(f.state())) {
            return List.of();
        }
        List<Failed> failed = new ArrayList<>();
        if (f.dagPaused()) {
            failed.add(new Failed("Dag Not Paused", "Task's DAG '" + f.dagId() + "' is paused."));
        }
        if (f.runState() != DagRunState.RUNNING) {
            failed.add(new Failed(
                    "Dagrun Running",
                    "Task instance's dagrun was not in the '" + DagRunState.RUNNING.dbName()
                            + "' state but in the state '" + f.runState().dbName() + "'."));
        }
        if (f.state() != TaskState.SCHEDULED) {
            failed.add(new Failed(
                    "Task Instance State",
                    "Task is in the '"
                            + (f.state() == TaskState.NONE ? "None" : f.state().dbName()) + "' state."));
        }
        TriggerDecision decision = TriggerRuleEvaluator.decide(f.triggerRule(), f.upstream());
        if (decision != TriggerDecision.RUN) {
            failed.add(new Failed("Trigger Rule", triggerRuleReason(f, decision)));
        }
        if (f.state() == TaskState.UP_FOR_RETRY
                && f.nextRetryAt() != null
                && f.nextRetryAt().isAfter(f.now())) {
            failed.add(new Failed(
                    "Not In Retry Period",
                    "Task is not ready for retry yet but will be retried automatically. Current date is " + f.now()
                            + " and task will be retried at " + f.nextRetryAt() + "."));
        }
        if (f.poolOpenSlots() == null) {
            failed.add(new Failed(
                    "Pool Slots Available", "Tasks using non-existent pool '" + f.pool() + "' will not be scheduled"));
        } else if (f.poolOpenSlots() < f.poolSlots()) {
            failed.add(new Failed(
                    "Pool Slots Available",
                    "Not scheduling since there are " + f.poolOpenSlots() + " open slots in pool " + f.pool()
                            + " and require " + f.poolSlots() + " pool slots"));
        }
        if (f.dagTasksInFlight() >= f.dagMaxActiveTasks()) {
            failed.add(new Failed(
                    "Task Instance Slots Available",
                    "The maximum number of running tasks (" + f.dagMaxActiveTasks() + ") for this task's DAG '"
                            + f.dagId() + "' has been reached."));
        }
        if (f.pastRun() != null && !f.pastRun().met()) {
            failed.add(new Failed("Previous Dagrun State", f.pastRun().reason()));
        }
        failed.sort(Comparator.comparing(Failed::name));
        return List.copyOf(failed);
    }

    private static String triggerRuleReason(Facts f, TriggerDecision decision) {
        String rule = f.triggerRule().name().toLowerCase(Locale.ROOT);
        UpstreamStates up = f.upstream();
        String states = "upstream_states=" + up + ", upstream_task_ids=" + f.upstreamTaskIds();
        return switch (decision) {
            case WAIT ->
                "Task's trigger rule '" + rule + "' is not met yet: " + up.unfinished()
                        + " upstream task(s) have not finished. " + states;
            case SKIP -> "Task's trigger rule '" + rule + "' cannot be met: the task will be skipped. " + states;
            case UPSTREAM_FAILED ->
                "Task's trigger rule '" + rule + "' cannot be met: an upstream task failed. " + states;
            case RUN -> "";
        };
    }
}
