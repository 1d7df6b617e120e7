package dev.gust.core.state;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Airflow's dependency on the past ({@code PrevDagrunDep}): whether a task with
 * {@code depends_on_past} may run in a DAG run, given the run before it. The run before is the
 * one with the latest earlier logical date; with catchup, manual runs are passed over. The
 * dependency is met when there is no run before; when, with catchup, that run is older than the
 * DAG's start date; when every instance of the task in that run is success or skipped (and,
 * with {@code wait_for_downstream}, every instance there of its direct downstream tasks too); and
 * when the task has no instance there but {@code ignore_first_depends_on_past} is on and the task
 * never ran in an earlier run (a task added to the DAG later). Anything else, a running or
 * failed instance included, is unmet: the task instance stays in state none until the past
 * changes (a clear, a mark, the previous run finishing). The rule applies to every run type,
 * manual runs included, as in Airflow's scheduler.
 */
public final class PastRunDependency {

    private static final Set<TaskState> SUCCESSFUL = Set.of(TaskState.SUCCESS, TaskState.SKIPPED);

    private PastRunDependency() {}

    /**
     * The run before, as the rule needs it: its logical date, whether it started (Gust creates a
     * run's task instances when it starts), and the states of its task instances by task id.
     */
    public record PreviousRun(String runId, Instant logicalDate, boolean started, Map<String, List<TaskState>> states) {
        public PreviousRun {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(logicalDate, "logicalDate");
            states = Map.copyOf(states);
        }
    }

    /** Whether the dependency is met, and Airflow's words for why (shown in debug logs). */
    public record Verdict(boolean met, String reason) {}

    /** Which run counts as the one before: with catchup, Airflow passes over manual runs. */
    public static boolean manualRunsCount(boolean catchup) {
        return !catchup;
    }

    /**
     * Checks the dependency of {@code task} (whose {@code depends_on_past} is set) in a run of
     * {@code dag}. {@code ranBefore} says whether the task has an instance in any run with an
     * earlier logical date; it is asked only when the previous run has no instance of the task.
     */
    public static Verdict check(
            Dag dag, TaskSpec task, boolean catchup, Optional<PreviousRun> previous, BooleanSupplier ranBefore) {
        if (!task.dependsOnPast()) {
            return new Verdict(true, "the task does not depend on the past");
        }
        if (previous.isEmpty()) {
            return new Verdict(true, "this is the first run of the DAG");
        }
        PreviousRun before = previous.get();
        if (catchup && dag.startDate() != null && before.logicalDate().isBefore(dag.startDate())) {
            return new Verdict(true, "the previous run is older than the task's start date");
        }
        if (!before.started()) {
            return new Verdict(false, "depends_on_past: the previous run " + before.runId() + " has not started");
        }
        List<TaskState> own = before.states().getOrDefault(task.taskId(), List.of());
        if (own.isEmpty()) {
            if (task.ignoreFirstDependsOnPast() && !ranBefore.getAsBoolean()) {
                return new Verdict(true, "ignore_first_depends_on_past: this is the task's first task instance");
            }
            return new Verdict(false, "depends_on_past: the task has not run in the previous run " + before.runId());
        }
        long unsuccessful = own.stream().filter(s -> !SUCCESSFUL.contains(s)).count();
        if (unsuccessful > 0) {
            return new Verdict(
                    false,
                    "depends_on_past: " + unsuccessful + " task instance(s) of the previous run " + before.runId()
                            + " are not success or skipped");
        }
        if (task.waitForDownstream() && downstreamUnfinished(dag, task, before)) {
            return new Verdict(
                    false,
                    "wait_for_downstream: the tasks downstream of this task in the previous run " + before.runId()
                            + " are not all success or skipped");
        }
        return new Verdict(true, "the previous task instance succeeded");
    }

    /** Whether an instance of a direct downstream task in the previous run is neither success nor skipped. */
    private static boolean downstreamUnfinished(Dag dag, TaskSpec task, PreviousRun before) {
        for (TaskSpec other : dag.tasks()) {
            if (!other.upstream().contains(task.taskId())) {
                continue;
            }
            for (TaskState state : before.states().getOrDefault(other.taskId(), List.of())) {
                if (!SUCCESSFUL.contains(state)) {
                    return true;
                }
            }
        }
        return false;
    }
}
