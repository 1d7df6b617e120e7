package dev.gust.core.runs;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Airflow's clear: puts the selected task instances of a DAG's runs back to {@code none} so that
 * the scheduler runs them again, and puts their finished runs back to queued. A running one goes
 * to {@code restarting} first: its runner (thread, process or ECS task) is stopped, and it runs
 * again once that runner is gone. The CLI
 * ({@code gust tasks clear}), the UI and {@code POST /api/v1/dags/{id}/clearTaskInstances} all go
 * through here. A dry run answers which task instances would be cleared and changes nothing.
 */
public final class TaskInstanceClearing {

    /**
     * @param runId one run only, or null for every run whose logical date is within [from, to]
     * @param onlyFailed only failed and upstream_failed task instances (Airflow's {@code only_failed})
     * @param mapIndexes only these instances of mapped tasks (null: every instance)
     */
    public record Request(
            String dagId,
            String runId,
            TaskSelection tasks,
            boolean onlyFailed,
            Instant from,
            Instant to,
            boolean dryRun,
            Set<Integer> mapIndexes) {
        public Request {
            from = from == null ? Instant.MIN : from;
            to = to == null ? Instant.MAX : to;
            mapIndexes = mapIndexes == null ? null : Set.copyOf(mapIndexes);
        }

        /** Every instance of the selected tasks. */
        public Request(
                String dagId,
                String runId,
                TaskSelection tasks,
                boolean onlyFailed,
                Instant from,
                Instant to,
                boolean dryRun) {
            this(dagId, runId, tasks, onlyFailed, from, to, dryRun, null);
        }
    }

    /** What was (or, on a dry run, would be) cleared. */
    public record Result(List<TaskInstance> taskInstances, int runsTouched) {}

    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;

    public TaskInstanceClearing(DagRunRepository runs, TaskInstanceRepository taskInstances) {
        this.runs = runs;
        this.taskInstances = taskInstances;
    }

    public Result clear(Dag dag, Request request) {
        Set<String> taskIds = request.tasks().resolve(dag);
        List<TaskInstance> cleared = new ArrayList<>();
        int runsTouched = 0;
        for (DagRun run : runsOf(request)) {
            Map<TaskInstanceKey, Integer> retries = new HashMap<>();
            List<TaskInstance> selected = new ArrayList<>();
            for (TaskInstance ti : taskInstances.listForRun(dag.dagId(), run.runId())) {
                boolean failed = ti.state() == TaskState.FAILED || ti.state() == TaskState.UPSTREAM_FAILED;
                // A restarting one was cleared already and runs again as soon as its runner stops.
                boolean restarting = ti.state() == TaskState.RESTARTING;
                boolean instance = request.mapIndexes() == null
                        || request.mapIndexes().contains(ti.key().mapIndex());
                if (taskIds.contains(ti.taskId()) && instance && (!request.onlyFailed() || failed) && !restarting) {
                    retries.put(
                            ti.key(),
                            dag.task(ti.taskId()).map(TaskSpec::retries).orElse(0));
                    selected.add(ti);
                }
            }
            if (selected.isEmpty()) {
                continue;
            }
            if (request.dryRun()) {
                cleared.addAll(selected);
                runsTouched++;
                continue;
            }
            if (taskInstances.clear(retries) > 0) {
                runs.requeue(run.id());
                cleared.addAll(selected);
                runsTouched++;
            }
        }
        return new Result(cleared, runsTouched);
    }

    private List<DagRun> runsOf(Request request) {
        if (request.runId() != null) {
            return runs.find(request.dagId(), request.runId()).stream().toList();
        }
        return runs.listForDag(request.dagId(), null, Integer.MAX_VALUE).stream()
                .filter(run -> !run.logicalDate().isBefore(request.from())
                        && !run.logicalDate().isAfter(request.to()))
                .toList();
    }
}
