package dev.gust.scheduler.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.logging.LogFields;
import dev.gust.core.mapping.TaskExpansion;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.template.SecretMasker;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.OutletAliasEvent;
import dev.gust.scheduler.operators.TaskLogWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs one claimed try of a task instance in this process: renders its arguments, runs its
 * operator on a virtual thread under {@code execution_timeout} (on timeout the thread is
 * interrupted and the operator kills its process tree), and records the outcome. Every failure
 * of the task itself (a template error, an exception, a timeout) ends in the task's log and
 * state, never in the scheduler.
 */
final class TaskRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the runner looks at its stop request and deadline while the operator runs. */
    private static final Duration WAIT_STEP = Duration.ofMillis(500);
    /** How long a stopped operator may take to wind down before its try is recorded without it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private static final OperatorOutcome STOPPED = new OperatorOutcome.Failed(
            "stopped: the task instance was changed elsewhere (cleared, marked, its run timed out) or the"
                    + " scheduler is shutting down");

    private final TaskRunServices services;

    TaskRunner(TaskRunServices services) {
        this.services = services;
    }

    /**
     * Runs one try; {@code loaded} and {@code run} were read once for the whole claimed batch (null
     * if gone); {@code stop} is how the caller asks the operator to stop.
     */
    void run(TaskInstance ti, DagDefinitions.Loaded loaded, DagRun run, TryStop stop) {
        try (LogFields fields = LogFields.of(ti.key(), ti.tryNumber())) {
            SecretMasker masker = services.newMasker();
            runTry(
                    ti,
                    new DatabaseTaskLog(services.taskLogs(), ti.key(), ti.tryNumber(), masker::mask),
                    masker,
                    loaded,
                    run,
                    stop);
        }
    }

    /** As above, for a try whose log size was read with its claim ({@code storedLogBytes}). */
    void run(TaskInstance ti, long storedLogBytes, DagDefinitions.Loaded loaded, DagRun run, TryStop stop) {
        try (LogFields fields = LogFields.of(ti.key(), ti.tryNumber())) {
            SecretMasker masker = services.newMasker();
            runTry(
                    ti,
                    new DatabaseTaskLog(services.taskLogs(), ti.key(), ti.tryNumber(), masker::mask, storedLogBytes),
                    masker,
                    loaded,
                    run,
                    stop);
        }
    }

    private void runTry(
            TaskInstance ti,
            DatabaseTaskLog tryLog,
            SecretMasker masker,
            DagDefinitions.Loaded loaded,
            DagRun run,
            TryStop stop) {
        TaskSpec task = loaded == null ? null : loaded.dag().task(ti.taskId()).orElse(null);
        try (DatabaseTaskLog log = tryLog) {
            services.register(log);
            try {
                if (loaded == null || run == null || task == null) {
                    log.line("The task's DAG, run or task definition no longer exists; failing this try.");
                    services.recorder()
                            .record(
                                    loaded == null ? null : loaded.dag(),
                                    task,
                                    ti,
                                    new OperatorOutcome.FailedWithoutRetry("task definition not found"),
                                    log);
                    return;
                }
                services.metrics().taskStarted(ti.key().dagId(), ti.taskId());
                log.line("Starting try " + ti.tryNumber() + " of " + (ti.maxTries() + 1) + " of " + ti.key()
                        + " (operator " + task.operator() + ") on " + services.hostname());
                requestExecuteCallbacks(task, ti, log);
                List<OutletAliasEvent> aliasEvents = new java.util.ArrayList<>();
                OperatorOutcome outcome = execute(
                        loaded.dag(),
                        task,
                        run,
                        ti,
                        log,
                        masker,
                        (key, json) -> DatabaseWait.retry(
                                "pushing XCom " + key + " of " + ti.key(),
                                () -> {
                                    services.xcoms().push(ti.key(), key, json);
                                    return null;
                                },
                                services::isShuttingDown),
                        rendered -> DatabaseWait.retry(
                                "recording the rendered map index of " + ti.key(),
                                () -> services.taskInstances().recordRenderedMapIndex(ti.currentTry(), rendered),
                                services::isShuttingDown),
                        fieldsJson -> recordRenderedFields(ti, fieldsJson, log),
                        aliasEvents::addAll,
                        stop);
                if (services.isShuttingDown()) {
                    if (services.taskInstances().releaseUnfinished(ti.currentTry())) {
                        log.line("The scheduler is shutting down: this try was stopped and goes back for retry"
                                + " without counting as a try.");
                        log.flush();
                    } else {
                        services.recorder().releaseIfCleared(ti, log);
                    }
                    return;
                }
                // The outcome of a try that ran is worth waiting for: the runner keeps its task
                // instance meanwhile, so heartbeats resume when the database is back.
                DatabaseWait.retry(
                        "recording the outcome of " + ti.key() + " try " + ti.tryNumber(),
                        () -> services.recorder().record(loaded.dag(), task, ti, outcome, log, aliasEvents),
                        services::isShuttingDown);
            } finally {
                services.unregister(log);
            }
        }
    }

    /**
     * Stores what this try's templates rendered to, for the task page and the API. Worth waiting
     * for the database like the other writes of a try, but never worth failing the try over.
     */
    private void recordRenderedFields(TaskInstance ti, String fieldsJson, TaskLogWriter log) {
        try {
            DatabaseWait.retry(
                    "recording the rendered templates of " + ti.key() + " try " + ti.tryNumber(),
                    () -> services.taskInstances().recordRenderedFields(ti.currentTry(), fieldsJson),
                    services::isShuttingDown);
        } catch (RuntimeException e) {
            log.line("The rendered templates could not be stored (the task runs anyway): " + e.getMessage());
        }
    }

    /**
     * Requests the task's {@code on_execute_callback}s as the try starts. Not in the claim's
     * transaction (claims are batched): a scheduler that dies between its claim and this line runs
     * neither the task nor its execute callbacks, and the try becomes a zombie.
     */
    private void requestExecuteCallbacks(TaskSpec task, TaskInstance ti, TaskLogWriter log) {
        List<CallbackSpec> callbacks = task.callbacksFor(CallbackEvent.EXECUTE);
        if (callbacks.isEmpty()) {
            return;
        }
        TaskInstanceKey key = ti.key();
        services.callbackRequests()
                .request(
                        key.dagId(),
                        key.runId(),
                        key.taskId(),
                        key.mapIndex(),
                        ti.tryNumber(),
                        CallbackEvent.EXECUTE,
                        callbacks,
                        Map.of("state", "running"));
        log.line("Requested " + callbacks.size() + " on_execute_callback(s).");
    }

    /**
     * Renders and runs one try and says how it ended, without recording anything: the engine
     * records the outcome, {@code gust tasks test} only prints it.
     */
    OperatorOutcome execute(
            Dag dag,
            TaskSpec task,
            DagRun run,
            TaskInstance ti,
            TaskLogWriter log,
            SecretMasker masker,
            EngineTaskRunContext.XComSink xcoms,
            MapIndexSink mapIndexSink,
            RenderedFieldsSink renderedFields,
            Consumer<List<OutletAliasEvent>> aliasEvents,
            TryStop stop) {
        if (task.expand() != null) {
            TaskSpec instance;
            try {
                instance = instanceOf(dag, task, run, ti);
            } catch (IllegalStateException e) {
                return new OperatorOutcome.FailedWithoutRetry(e.getMessage());
            }
            return execute(dag, instance, run, ti, log, masker, xcoms, mapIndexSink, renderedFields, aliasEvents, stop);
        }
        Map<String, Object> args;
        try {
            if (ti.tryNumber() > 1) {
                // a first try has nothing to clear; later ones must not see the values of earlier tries
                services.xcoms().clear(ti.key());
            }
            args = services.renderer().render(dag, task, run, ti, masker);
        } catch (RuntimeException e) {
            return new OperatorOutcome.Failed("cannot render the task's templates: " + e.getMessage());
        }
        // stored as the try starts (Airflow's rendered fields), masked by what rendering registered;
        // a task without arguments stores nothing (its page says so), a round trip less per try
        if (!args.isEmpty()) {
            renderedFields.rendered(RenderedFields.json(args, masker));
        }
        Operator operator;
        try {
            operator = services.operators().get(task.operator());
        } catch (RuntimeException e) {
            return new OperatorOutcome.FailedWithoutRetry(e.getMessage());
        }
        EngineTaskRunContext context = new EngineTaskRunContext(services, dag, task, run, ti, args, log, xcoms, masker);
        OperatorOutcome outcome = runOperator(operator, context, task, ti, stop);
        aliasEvents.accept(context.outletEvents());
        if (task.mapIndexTemplate() != null && ti.key().mapIndex() >= 0) {
            nameInstance(dag, task, run, ti, args, context.templateNames(), log, masker, mapIndexSink);
        }
        return outcome;
    }

    /**
     * Airflow's named mapping: once the instance has run (whatever the outcome, as Airflow renders
     * it in a {@code finally}), its {@code map_index_template} is rendered with the instance's
     * arguments as {@code task.<argument>} and the names its code added to its context. A template that fails leaves the instance unnamed and
     * says why in its log; it does not change the outcome.
     */
    private void nameInstance(
            Dag dag,
            TaskSpec task,
            DagRun run,
            TaskInstance ti,
            Map<String, Object> args,
            Map<String, Object> added,
            TaskLogWriter log,
            SecretMasker masker,
            MapIndexSink mapIndexSink) {
        String rendered;
        try {
            rendered = masker.mask(services.renderer().renderMapIndex(dag, task, run, ti, args, added, masker));
        } catch (RuntimeException e) {
            log.line("The map_index_template could not be rendered, so this instance keeps its index as its name: "
                    + e.getMessage());
            return;
        }
        log.line("Map index rendered as " + rendered);
        mapIndexSink.rendered(rendered);
    }

    private OperatorOutcome runOperator(
            Operator operator, EngineTaskRunContext context, TaskSpec task, TaskInstance ti, TryStop stop) {
        CompletableFuture<OperatorOutcome> result = new CompletableFuture<>();
        // Our own thread rather than an executor's future: on timeout or a stop we interrupt it and
        // then wait until the operator has really stopped (killed its processes) before recording.
        Thread worker = Thread.ofVirtual().name("task-" + ti.key()).unstarted(() -> {
            try {
                result.complete(operator.execute(context));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        if (!stop.attach(worker)) {
            return STOPPED;
        }
        worker.start();
        Duration timeout = task.executionTimeout();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                OperatorOutcome outcome = result.get(WAIT_STEP.toMillis(), TimeUnit.MILLISECONDS);
                return stop.requested() ? STOPPED : outcome;
            } catch (TimeoutException e) {
                if (stop.sinceRequest().compareTo(STOP_GRACE) > 0) {
                    // told to stop and still not done: the operator has been interrupted, record without it
                    return STOPPED;
                }
                if (System.nanoTime() - deadline >= 0) {
                    stop(worker);
                    return new OperatorOutcome.Failed(
                            "execution_timeout of " + timeout + " exceeded; the task was stopped");
                }
            } catch (ExecutionException e) {
                if (stop.requested()) {
                    return STOPPED;
                }
                Throwable cause = e.getCause();
                return new OperatorOutcome.Failed(
                        cause instanceof InterruptedException
                                ? "the task was interrupted"
                                : cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } catch (InterruptedException e) {
                // Nothing in Gust interrupts a runner (stops go through TryStop); if something else
                // does, stop the operator and still record: the interrupt status is consumed here.
                stop(worker);
                return STOPPED;
            }
        }
    }

    /**
     * The task as instance {@code ti.mapIndex()} of a mapped task runs it: its element of the
     * expansion laid over the task's fixed ({@code partial}) arguments, then rendered like any
     * argument. The expansion is read again here, from the same finished upstreams the scheduler
     * expanded from, as Airflow resolves mapped arguments when the instance runs.
     */
    private TaskSpec instanceOf(Dag dag, TaskSpec task, DagRun run, TaskInstance ti) {
        int mapIndex = ti.key().mapIndex();
        if (mapIndex < 0) {
            throw new IllegalStateException(
                    "the mapped task was not expanded into instances; clear it to expand it again");
        }
        TaskExpansion.Result result = TaskExpansion.expand(
                dag.dagId(),
                task,
                (taskId, key) -> services.xcoms()
                        .pull(dag.dagId(), run.runId(), taskId, key)
                        .map(TaskRunner::decode),
                Integer.MAX_VALUE);
        if (result instanceof TaskExpansion.Unmappable unmappable) {
            throw new IllegalStateException(unmappable.reason());
        }
        List<Map<String, Object>> instances = ((TaskExpansion.Instances) result).arguments();
        if (mapIndex >= instances.size()) {
            throw new IllegalStateException("map index " + mapIndex + " is past the " + instances.size()
                    + " items the mapped input has now; clear the task to expand it again");
        }
        return task.mappedInstance(TaskExpansion.instanceArguments(task.args(), instances.get(mapIndex)));
    }

    /** Where the text a mapped instance's {@code map_index_template} rendered to goes. */
    @FunctionalInterface
    interface MapIndexSink {
        void rendered(String name);
    }

    /** Where a try's rendered arguments go, as a masked JSON object. */
    @FunctionalInterface
    interface RenderedFieldsSink {
        void rendered(String fieldsJson);
    }

    private static Object decode(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored XCom is not JSON: " + e.getMessage(), e);
        }
    }

    private static void stop(Thread worker) {
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            // interrupted again while waiting: give up waiting, the operator has been told to stop
        }
    }
}
