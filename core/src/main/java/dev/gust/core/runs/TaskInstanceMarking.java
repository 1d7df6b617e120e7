package dev.gust.core.runs;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.state.TaskState;
import dev.gust.core.state.TaskTransition;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Airflow's "mark success / failed / skipped" for task instances of one DAG run, with the
 * upstream and downstream options. Each change is the state machine's conditional transition
 * ({@link TaskTransition#MARK}), by try, so a task that moved meanwhile is left as it is; a runner whose task is marked while it runs
 * sees that on its next heartbeat and stops. A finished run whose tasks were marked goes back to
 * queued so that the scheduler decides its outcome again.
 */
public final class TaskInstanceMarking {

    private static final Set<TaskState> TARGETS = Set.of(TaskState.SUCCESS, TaskState.FAILED, TaskState.SKIPPED);

    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;

    public TaskInstanceMarking(DagRunRepository runs, TaskInstanceRepository taskInstances) {
        this.runs = runs;
        this.taskInstances = taskInstances;
    }

    /** Returns the task instances that changed (or, on a dry run, would change), as they were before. */
    public List<TaskInstance> mark(Dag dag, DagRun run, TaskSelection tasks, TaskState target, boolean dryRun) {
        return mark(dag, run, tasks, null, target, dryRun);
    }

    /**
     * As {@link #mark(Dag, DagRun, TaskSelection, TaskState, boolean)}, only the instances of
     * mapped tasks at {@code mapIndexes} (null: every instance).
     */
    public List<TaskInstance> mark(
            Dag dag, DagRun run, TaskSelection tasks, Set<Integer> mapIndexes, TaskState target, boolean dryRun) {
        if (!TARGETS.contains(target)) {
            throw new IllegalArgumentException(
                    "a task instance can be marked success, failed or skipped, not '" + target.dbName() + "'");
        }
        Set<String> taskIds = tasks.resolve(dag);
        List<TaskInstance> changed = new ArrayList<>();
        for (TaskInstance ti : taskInstances.listForRun(dag.dagId(), run.runId())) {
            if (!taskIds.contains(ti.taskId())
                    || (mapIndexes != null && !mapIndexes.contains(ti.key().mapIndex()))
                    || !TaskTransition.MARK.allows(ti.state(), target)) {
                continue;
            }
            if (dryRun || taskInstances.markByUser(ti.currentTry(), ti.state(), target)) {
                changed.add(ti);
            }
        }
        if (!dryRun && !changed.isEmpty()) {
            runs.requeue(run.id());
        }
        return changed;
    }
}
