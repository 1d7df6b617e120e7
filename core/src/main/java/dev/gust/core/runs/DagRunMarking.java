package dev.gust.core.runs;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import java.util.ArrayList;
import java.util.List;

/**
 * Airflow's "mark DAG run as success / failed / queued". Marking success marks every task
 * instance that is not yet successful as success; marking failed fails the running ones and
 * skips those that have not finished, as Airflow does; the task instances change through
 * {@link TaskInstanceMarking} (so the state machine), then the run itself moves with a
 * conditional update. Queued puts the run back in the scheduler's hands without touching its
 * task instances.
 */
public final class DagRunMarking {

    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;
    private final TaskInstanceMarking marking;

    public DagRunMarking(DagRunRepository runs, TaskInstanceRepository taskInstances) {
        this.runs = runs;
        this.taskInstances = taskInstances;
        this.marking = new TaskInstanceMarking(runs, taskInstances);
    }

    /** One task instance the marking changes, and the state it moves to. */
    public record Change(TaskInstance taskInstance, TaskState to) {}

    /** What {@link #mark} would change in the run's task instances, changing nothing (the UI's preview). */
    public List<Change> preview(Dag dag, DagRun run, DagRunState target) {
        return changeTaskInstances(dag, run, target, true);
    }

    /** Returns the run as it is afterwards. */
    public DagRun mark(Dag dag, DagRun run, DagRunState target) {
        changeTaskInstances(dag, run, target, false);
        // Marking task instances may have put a finished run back to queued; read where it is now.
        DagRun current = runs.find(run.dagId(), run.runId()).orElse(run);
        if (current.state() != target) {
            runs.transition(current.id(), current.state(), target);
        }
        return runs.find(run.dagId(), run.runId()).orElse(current);
    }

    private List<Change> changeTaskInstances(Dag dag, DagRun run, DagRunState target, boolean dryRun) {
        List<TaskInstance> tis = taskInstances.listForRun(dag.dagId(), run.runId());
        List<Change> changes = new ArrayList<>();
        switch (target) {
            case SUCCESS ->
                changes.addAll(move(
                        dag, run, selection(tis, ti -> ti.state() != TaskState.SUCCESS), TaskState.SUCCESS, dryRun));
            case FAILED -> {
                changes.addAll(move(
                        dag, run, selection(tis, ti -> ti.state() == TaskState.RUNNING), TaskState.FAILED, dryRun));
                changes.addAll(move(
                        dag,
                        run,
                        selection(tis, ti -> !ti.state().isFinished() && ti.state() != TaskState.RUNNING),
                        TaskState.SKIPPED,
                        dryRun));
            }
            case QUEUED -> {}
            case RUNNING ->
                throw new IllegalArgumentException("a DAG run can be marked success, failed or queued, not running");
        }
        return changes;
    }

    private List<Change> move(Dag dag, DagRun run, TaskSelection which, TaskState to, boolean dryRun) {
        return marking.mark(dag, run, which, to, dryRun).stream()
                .map(ti -> new Change(ti, to))
                .toList();
    }

    private static TaskSelection selection(List<TaskInstance> tis, java.util.function.Predicate<TaskInstance> which) {
        return TaskSelection.of(
                tis.stream().filter(which).map(TaskInstance::taskId).toList(), false, false);
    }
}
