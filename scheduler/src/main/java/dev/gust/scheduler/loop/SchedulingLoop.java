package dev.gust.scheduler.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.logging.LogFields;
import dev.gust.core.mapping.TaskExpansion;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.runs.DatasetTriggeredRuns;
import dev.gust.core.state.DagRunOutcome;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.PastRunDependency;
import dev.gust.core.state.TaskState;
import dev.gust.core.state.TriggerDecision;
import dev.gust.core.state.TriggerRuleEvaluator;
import dev.gust.core.state.UpstreamStates;
import dev.gust.core.store.Stores;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskInstanceState;
import dev.gust.core.store.runs.TaskInstanceTry;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of scheduling over every unfinished DAG run, reading and writing only the database:
 * queued runs start within {@code max_active_runs}; task instances whose upstreams allow it
 * become scheduled (or skipped / upstream_failed, per their trigger rule); retries and
 * reschedules that are due become scheduled again; scheduled ones are queued within pools and
 * limits; runs whose tasks are all done get their final state. A task that depends on the past
 * ({@code depends_on_past}, {@code wait_for_downstream}) whose trigger rule says run waits in
 * state none until {@link PastRunDependency} is met by the run before. Any number of schedulers
 * may run rounds at once: every write is conditional, and queueing is serialised by
 * {@link TaskQueuer}. A round first creates the dataset-triggered runs that are due
 * ({@link DatasetTriggeredRuns}). It reads the task instances only of the runs it can decide
 * something in ({@link TaskInstanceRepository#statesOfRunsToDecide}): a run whose unfinished task
 * instances are all scheduled or in flight waits for one of them to end. A mapped task ({@code expand}) whose trigger rule says run is expanded
 * instead: its placeholder instance becomes one instance per element ({@link TaskExpansion}), is
 * skipped for an empty input, or fails with the reason in its log.
 */
public final class SchedulingLoop {

    private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_MAX_MAP_LENGTH = 1024;

    /** Airflow's reason for a run that ran past its dagrun_timeout. */
    private static final String TIMED_OUT = "timed_out";

    private final Stores stores;
    private final DagRunRepository dagRuns;
    private final TaskInstanceRepository taskInstances;
    private final DagDefinitions definitions;
    private final TaskQueuer queuer;
    private final int defaultMaxActiveRuns;
    private final int defaultMaxActiveTasks;
    private final boolean catchupByDefault;
    private final Clock clock;
    private final RunFilter runFilter;
    private final FailedRunsPause failedRunsPause;
    private final DatasetTriggeredRuns datasetTriggeredRuns;
    private final XComRepository xcoms;
    private final TaskLogRepository taskLogs;
    private final int maxMapLength;
    private final GustMetrics metrics;

    /**
     * @param runFilter null to schedule every run; one run (ignoring whether its DAG is paused)
     *                  for {@code gust dags test}
     */
    public SchedulingLoop(
            Stores stores,
            DagDefinitions definitions,
            int defaultMaxActiveRuns,
            int defaultMaxActiveTasks,
            boolean catchupByDefault,
            Clock clock,
            RunFilter runFilter) {
        this(
                stores,
                definitions,
                defaultMaxActiveRuns,
                defaultMaxActiveTasks,
                catchupByDefault,
                DEFAULT_MAX_MAP_LENGTH,
                clock,
                runFilter);
    }

    /** @param maxMapLength {@code core.max_map_length}: the most instances a mapped task may expand to */
    public SchedulingLoop(
            Stores stores,
            DagDefinitions definitions,
            int defaultMaxActiveRuns,
            int defaultMaxActiveTasks,
            boolean catchupByDefault,
            int maxMapLength,
            Clock clock,
            RunFilter runFilter) {
        this(
                stores,
                definitions,
                defaultMaxActiveRuns,
                defaultMaxActiveTasks,
                catchupByDefault,
                maxMapLength,
                clock,
                runFilter,
                GustMetrics.off());
    }

    /** As above, recording runs' durations and delays and the queue's starving tasks into {@code metrics}. */
    public SchedulingLoop(
            Stores stores,
            DagDefinitions definitions,
            int defaultMaxActiveRuns,
            int defaultMaxActiveTasks,
            boolean catchupByDefault,
            int maxMapLength,
            Clock clock,
            RunFilter runFilter,
            GustMetrics metrics) {
        this.metrics = metrics;
        this.maxMapLength = maxMapLength;
        this.stores = stores;
        this.xcoms = stores.xcoms();
        this.taskLogs = stores.taskLogs();
        this.dagRuns = stores.dagRuns();
        this.taskInstances = stores.taskInstances();
        this.definitions = definitions;
        this.queuer = new TaskQueuer(stores, runFilter, metrics);
        this.defaultMaxActiveRuns = defaultMaxActiveRuns;
        this.defaultMaxActiveTasks = defaultMaxActiveTasks;
        this.catchupByDefault = catchupByDefault;
        this.clock = clock;
        this.runFilter = runFilter;
        this.failedRunsPause = new FailedRunsPause(stores);
        this.datasetTriggeredRuns = new DatasetTriggeredRuns(stores, definitions);
    }

    /** What a round changed; a round that changed something is worth repeating at once. */
    public record Round(
            int runsStarted, int tasksScheduled, int tasksSkippedOrUpstreamFailed, int tasksQueued, int runsFinished) {
        public boolean changedAnything() {
            return runsStarted + tasksScheduled + tasksSkippedOrUpstreamFailed + tasksQueued + runsFinished > 0;
        }
    }

    /** One round outside any scheduler job ({@code gust dags test}). */
    public Round runOnce() {
        return runOnce(null);
    }

    /** One round; what it queues is recorded as queued by {@code schedulerJobId}. */
    public Round runOnce(Long schedulerJobId) {
        Instant now = clock.instant();
        if (runFilter == null) {
            // runs of DAGs whose datasets were updated; queued, they are started below
            datasetTriggeredRuns.createDue();
        }
        List<DagRun> runs = dagRuns.listUnfinished().stream()
                .filter(r -> runFilter == null || runFilter.matches(r.dagId(), r.runId()))
                .toList();
        if (runs.isEmpty()) {
            return new Round(0, 0, 0, 0, 0);
        }
        Map<String, DagDefinitions.Loaded> dags =
                definitions.current(runs.stream().map(DagRun::dagId).distinct().toList());
        List<DagRun> started = startQueuedRuns(runs, dags);

        Map<TaskState, List<TaskInstanceKey>> toSchedule = new EnumMap<>(TaskState.class);
        List<TaskInstanceKey> toSkip = new ArrayList<>();
        List<TaskInstanceKey> toUpstreamFailed = new ArrayList<>();
        List<Unexpanded> toExpand = new ArrayList<>();
        // The runs read above that were running, and those this round started (their rows say
        // queued and no start date, which is fine: a run started just now has not timed out).
        List<DagRun> running = new ArrayList<>(
                runs.stream().filter(r -> r.state() == DagRunState.RUNNING).toList());
        running.addAll(started);
        Set<Long> timedOut = new HashSet<>();
        for (DagRun run : running) {
            DagDefinitions.Loaded loaded = dags.get(run.dagId());
            if (roundCovers(loaded) && timedOut(loaded.dag(), run, now)) {
                timedOut.add(run.id());
            }
        }
        // only the runs with something to decide: the others wait on tasks that are scheduled or in flight
        Map<Long, List<TaskInstanceState>> byRun = taskInstances.statesOfRunsToDecide(runFilter, running, timedOut);
        // by identity: a run's equals and hashCode would walk its conf on every lookup
        Map<DagRun, Map<String, List<TaskState>>> statesByRun = new IdentityHashMap<>();
        int timedOutRuns = 0;
        for (DagRun run : running) {
            DagDefinitions.Loaded loaded = dags.get(run.dagId());
            if (!roundCovers(loaded)) {
                continue;
            }
            List<TaskInstanceState> tis = byRun.get(run.id());
            if (timedOut.contains(run.id())) {
                timeOut(loaded.dag(), run, tis == null ? List.of() : tis);
                timedOutRuns++;
                continue;
            }
            if (tis == null) {
                continue;
            }
            Map<String, List<TaskState>> states = new HashMap<>();
            for (TaskInstanceState ti : tis) {
                states.computeIfAbsent(ti.taskId(), id -> new ArrayList<>()).add(ti.state());
            }
            statesByRun.put(run, states);
            PastOfRun past = new PastOfRun(loaded.dag(), run);
            for (TaskInstanceState ti : tis) {
                switch (ti.state()) {
                    case NONE ->
                        decide(loaded.dag(), ti, tis, states, past, toSchedule, toSkip, toUpstreamFailed, toExpand);
                    case UP_FOR_RETRY, UP_FOR_RESCHEDULE -> {
                        if (ti.nextRetryAt() == null || !ti.nextRetryAt().isAfter(now)) {
                            toSchedule
                                    .computeIfAbsent(ti.state(), s -> new ArrayList<>())
                                    .add(ti.key());
                        }
                    }
                    default -> {}
                }
            }
        }
        int scheduled = 0;
        for (Unexpanded mapped : toExpand) {
            if (mapped.placeholder().key().mapIndex() == -1) {
                scheduled += expand(mapped) ? 1 : 0;
            } else {
                scheduled += revise(mapped, toSchedule);
            }
        }
        for (var entry : toSchedule.entrySet()) {
            scheduled +=
                    taskInstances.schedule(entry.getValue(), entry.getKey()).size();
        }
        int skipped =
                taskInstances.decideWithoutRunning(toSkip, TaskState.SKIPPED).size()
                        + taskInstances
                                .decideWithoutRunning(toUpstreamFailed, TaskState.UPSTREAM_FAILED)
                                .size();
        int queued = queuer.queue(
                schedulerJobId,
                dagId -> {
                    DagDefinitions.Loaded loaded = dags.get(dagId);
                    Integer limit = loaded == null ? null : loaded.dag().maxActiveTasks();
                    return limit != null ? limit : defaultMaxActiveTasks;
                },
                (dagId, taskId) -> {
                    DagDefinitions.Loaded loaded = dags.get(dagId);
                    return loaded == null ? null : loaded.dag().task(taskId).orElse(null);
                });
        int finished = scheduled + skipped == 0 ? finishRuns(statesByRun, dags) : 0;
        return new Round(started.size(), scheduled, skipped, queued, finished + timedOutRuns);
    }

    /** Whether this round schedules the runs of a DAG: it is loaded, and not paused (unless testing one run). */
    private boolean roundCovers(DagDefinitions.Loaded loaded) {
        return loaded != null && !(loaded.paused() && runFilter == null);
    }

    private void decide(
            Dag dag,
            TaskInstanceState ti,
            List<TaskInstanceState> runTis,
            Map<String, List<TaskState>> states,
            PastOfRun past,
            Map<TaskState, List<TaskInstanceKey>> toSchedule,
            List<TaskInstanceKey> toSkip,
            List<TaskInstanceKey> toUpstreamFailed,
            List<Unexpanded> toExpand) {
        TaskSpec task = dag.task(ti.taskId()).orElse(null);
        if (task == null) {
            return;
        }
        List<TaskState> upstreamStates = new ArrayList<>();
        for (String upstream : task.upstream()) {
            upstreamStates.addAll(states.getOrDefault(upstream, List.of()));
        }
        TriggerDecision decision = TriggerRuleEvaluator.decide(task.triggerRule(), UpstreamStates.of(upstreamStates));
        switch (decision) {
            case RUN -> {
                // As in Airflow, the past holds back only running: a trigger rule that settles the
                // task as skipped or upstream_failed does so whatever the run before did.
                if (task.dependsOnPast() && !past.allows(task, ti.key())) {
                    return;
                }
                if (task.expand() != null && ti.key().mapIndex() <= 0) {
                    // the placeholder expands; instance 0 about to run (again, after a clear) checks the count
                    List<TaskInstanceState> instances = runTis.stream()
                            .filter(other -> other.taskId().equals(task.taskId()))
                            .toList();
                    toExpand.add(new Unexpanded(dag, task, ti, instances));
                    return;
                }
                toSchedule
                        .computeIfAbsent(TaskState.NONE, s -> new ArrayList<>())
                        .add(ti.key());
            }
            case SKIP -> toSkip.add(ti.key());
            case UPSTREAM_FAILED -> toUpstreamFailed.add(ti.key());
            case WAIT -> {}
        }
    }

    /** The placeholder instance (map_index -1) of a mapped task whose upstreams allow it to run. */
    private record Unexpanded(
            Dag dag, TaskSpec task, TaskInstanceState placeholder, List<TaskInstanceState> instances) {}

    /**
     * Expands one mapped task from its inputs as they are now (its upstreams are done); returns
     * whether this call changed it.
     */
    private boolean expand(Unexpanded mapped) {
        TaskInstanceKey key = mapped.placeholder().key();
        TaskExpansion.Result result = TaskExpansion.expand(
                key.dagId(),
                mapped.task(),
                (taskId, xcomKey) ->
                        xcoms.pull(key.dagId(), key.runId(), taskId, xcomKey).map(SchedulingLoop::decode),
                maxMapLength);
        return switch (result) {
            case TaskExpansion.Instances instances
            when instances.count() == 0 -> {
                // Airflow: a mapped task over nothing is skipped, and so are its downstreams by trigger rule
                boolean skipped = !taskInstances
                        .decideWithoutRunning(List.of(key), TaskState.SKIPPED)
                        .isEmpty();
                if (skipped) {
                    logLine(mapped.placeholder(), "Skipped: the mapped task's input is empty, so it has no instances.");
                }
                yield skipped;
            }
            case TaskExpansion.Instances instances -> {
                boolean expanded = taskInstances.expandMapped(key, instances.count());
                if (expanded) {
                    log.info("Expanded {} to {} mapped instances", key, instances.count());
                }
                yield expanded;
            }
            case TaskExpansion.Unmappable unmappable -> {
                boolean failed = taskInstances.failUnmappable(key);
                if (failed) {
                    logLine(mapped.placeholder(), "Task failed: " + unmappable.reason());
                }
                yield failed;
            }
        };
    }

    /**
     * Instance 0 of a mapped task is ready to run: usually right after the expansion, with as many
     * instances as items; after a clear, the upstream may have returned another number of items,
     * and the instances are revised as Airflow does: missing ones are created, those past the end
     * removed. Instance 0 is scheduled when nothing had to change; otherwise the next round
     * schedules the revised set. Returns how many task instances this call changed.
     */
    private int revise(Unexpanded mapped, Map<TaskState, List<TaskInstanceKey>> toSchedule) {
        TaskInstanceKey first = mapped.placeholder().key();
        TaskExpansion.Result result = TaskExpansion.expand(
                first.dagId(),
                mapped.task(),
                (taskId, xcomKey) -> xcoms.pull(first.dagId(), first.runId(), taskId, xcomKey)
                        .map(SchedulingLoop::decode),
                maxMapLength);
        List<TaskInstanceState> live = mapped.instances().stream()
                .filter(ti -> ti.state() != TaskState.REMOVED)
                .toList();
        int count = result instanceof TaskExpansion.Instances instances ? instances.count() : live.size();
        if (count == live.size() || count == 0) {
            // unchanged (or unmappable or empty now: the instance's run says why when it runs)
            toSchedule.computeIfAbsent(TaskState.NONE, s -> new ArrayList<>()).add(first);
            return 0;
        }
        int changed = 0;
        if (count > live.size()) {
            changed += taskInstances.addMapped(first, live.size(), count);
        } else {
            List<TaskInstanceKey> past = mapped.instances().stream()
                    .filter(ti -> ti.key().mapIndex() >= count && ti.state() == TaskState.NONE)
                    .map(TaskInstanceState::key)
                    .toList();
            changed += taskInstances.removeMapped(past).size();
        }
        log.info("Revised {}: its input now has {} items", first, count);
        return changed;
    }

    private void logLine(TaskInstanceState ti, String line) {
        taskLogs.appendLine(ti.key(), ti.tryNumber() + 1, clock.instant(), line);
    }

    private static Object decode(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored XCom is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The run before one run, read at most once per round and only when a task of the run that
     * depends on the past is otherwise ready.
     */
    private final class PastOfRun {
        private final Dag dag;
        private final DagRun run;
        private final boolean catchup;
        private Optional<PastRunDependency.PreviousRun> previous;

        PastOfRun(Dag dag, DagRun run) {
            this.dag = dag;
            this.run = run;
            this.catchup = dag.catchup() != null ? dag.catchup() : catchupByDefault;
        }

        boolean allows(TaskSpec task, TaskInstanceKey key) {
            if (previous == null) {
                previous =
                        dagRuns.previousRun(run.dagId(), run.logicalDate(), PastRunDependency.manualRunsCount(catchup));
            }
            PastRunDependency.Verdict verdict = PastRunDependency.check(
                    dag,
                    task,
                    catchup,
                    previous,
                    () -> taskInstances.ranBefore(run.dagId(), task.taskId(), run.logicalDate()));
            if (!verdict.met()) {
                log.debug("{} waits: {}", key, verdict.reason());
            }
            return verdict.met();
        }
    }

    /** Starts the queued runs that max_active_runs allows; returns them. */
    private List<DagRun> startQueuedRuns(List<DagRun> runs, Map<String, DagDefinitions.Loaded> dags) {
        Map<String, Long> runningByDag = runs.stream()
                .filter(r -> r.state() == DagRunState.RUNNING)
                .collect(Collectors.groupingBy(DagRun::dagId, Collectors.counting()));
        List<DagRun> started = new ArrayList<>();
        for (DagRun run : runs) {
            DagDefinitions.Loaded loaded = dags.get(run.dagId());
            if (run.state() != DagRunState.QUEUED || loaded == null || loaded.paused() && runFilter == null) {
                continue;
            }
            Integer limit = loaded.dag().maxActiveRuns();
            long running = runningByDag.getOrDefault(run.dagId(), 0L);
            if (running >= (limit != null ? limit : defaultMaxActiveRuns)) {
                continue;
            }
            int created = taskInstances.createForRun(run.dagId(), run.runId(), newTaskInstances(loaded));
            if (dagRuns.transition(run.id(), DagRunState.QUEUED, DagRunState.RUNNING)) {
                runningByDag.merge(run.dagId(), 1L, Long::sum);
                started.add(run);
                metrics.taskInstancesCreated(created);
                if ("scheduled".equals(run.runType()) && run.dataIntervalEnd() != null) {
                    metrics.dagRunScheduleDelay(run.dagId(), Duration.between(run.dataIntervalEnd(), clock.instant()));
                }
                try (LogFields fields = LogFields.ofRun(run.dagId(), run.runId())) {
                    log.debug("run started");
                }
            }
        }
        return started;
    }

    private static List<NewTaskInstance> newTaskInstances(DagDefinitions.Loaded loaded) {
        List<NewTaskInstance> tasks = new ArrayList<>();
        for (TaskSpec task : loaded.dag().tasks()) {
            tasks.add(new NewTaskInstance(
                    task.taskId(),
                    -1,
                    task.retries(),
                    task.pool(),
                    task.poolSlots(),
                    loaded.priorityWeights().getOrDefault(task.taskId(), task.priorityWeight()),
                    task.operator()));
        }
        return tasks;
    }

    private static boolean timedOut(Dag dag, DagRun run, Instant now) {
        return dag.dagrunTimeout() != null
                && run.startDate() != null
                && now.isAfter(run.startDate().plus(dag.dagrunTimeout()));
    }

    /**
     * Airflow's dagrun_timeout: the run fails and its unfinished task instances are skipped. A
     * task still running finds its state changed when it ends and its result is discarded.
     */
    private void timeOut(Dag dag, DagRun run, List<TaskInstanceState> tis) {
        Map<TaskState, List<TaskInstanceTry>> unfinished = tis.stream()
                .filter(ti -> !ti.state().isFinished())
                .collect(Collectors.groupingBy(
                        TaskInstanceState::state,
                        Collectors.mapping(TaskInstanceState::currentTry, Collectors.toList())));
        unfinished.forEach((state, tries) -> taskInstances.skipForRunTimeout(tries, state));
        if (endRun(dag, run, DagRunState.FAILED, TIMED_OUT) && runFilter == null) {
            failedRunsPause.afterRunFailed(dag);
        }
    }

    /** Runs whose task instances are all finished (or can never run) get their final state. */
    private int finishRuns(
            Map<DagRun, Map<String, List<TaskState>>> statesByRun, Map<String, DagDefinitions.Loaded> dags) {
        int finished = 0;
        for (var entry : statesByRun.entrySet()) {
            DagRun run = entry.getKey();
            Dag dag = dags.get(run.dagId()).dag();
            DagRunOutcome decided = DagRunOutcome.of(dag, entry.getValue());
            DagRunState outcome = decided.state();
            if (outcome.isFinished()
                    && endRun(dag, run, outcome, decided.reason().callbackName())) {
                finished++;
                if (run.startDate() != null) {
                    metrics.dagRunFinished(
                            run.dagId(),
                            outcome == DagRunState.SUCCESS,
                            Duration.between(run.startDate(), clock.instant()));
                }
                try (LogFields fields = LogFields.ofRun(run.dagId(), run.runId())) {
                    log.info("run finished: {}", outcome.dbName());
                }
                if (outcome == DagRunState.FAILED && runFilter == null) {
                    // a scheduler's decision: testing one run (gust dags test) never pauses the DAG
                    failedRunsPause.afterRunFailed(dag);
                }
            }
        }
        return finished;
    }

    /**
     * Ends a running run in {@code to} and, in the same transaction, requests the DAG's callbacks of
     * that end with Airflow's {@code reason} ({@code success}, {@code task_failure},
     * {@code all_tasks_deadlocked}, {@code timed_out}); false when another scheduler ended it first.
     */
    private boolean endRun(Dag dag, DagRun run, DagRunState to, String reason) {
        CallbackEvent event = to == DagRunState.SUCCESS ? CallbackEvent.SUCCESS : CallbackEvent.FAILURE;
        List<CallbackSpec> callbacks = dag.callbacksFor(event);
        if (callbacks.isEmpty()) {
            return dagRuns.transition(run.id(), DagRunState.RUNNING, to);
        }
        return stores.inTransaction(tx -> {
            if (!tx.dagRuns().transition(run.id(), DagRunState.RUNNING, to)) {
                return false;
            }
            Map<String, Object> context = new HashMap<>();
            context.put("reason", reason);
            context.put("state", to.dbName());
            tx.callbackRequests().request(run.dagId(), run.runId(), null, -1, null, event, callbacks, context);
            return true;
        });
    }
}
