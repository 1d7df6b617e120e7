package dev.gust.core.metrics;

import dev.gust.core.state.TaskState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Gust's metrics, named as Airflow's so that dashboards and alert rules built for Airflow carry
 * over: the one place that defines them. The engine calls the recording methods below; which
 * backends receive them (Prometheus, StatsD, CloudWatch EMF) is {@link MetricsExport}'s business.
 * Airflow puts a DAG, pool or state in the metric's name ({@code pool.open_slots.<pool>}); here
 * they are tags ({@code dag_id}, {@code pool}, {@code state}), which the plain StatsD output
 * appends to the name in Airflow's order ({@link AirflowNameMapper}). Unlike Airflow, the
 * {@code ti.*} counters carry no task id: a meter per task made the first run of a wide DAG
 * 40 % slower (registering thousands of meters under the registries' locks) and Prometheus's
 * series unbounded; per-task counts are a Logs Insights query away (see the README). Meters that
 * carry a DAG or pool are cached, so recording allocates nothing after a DAG's first task.
 * Counters are {@link LongAdder}s that the registries read when they publish, as they read
 * gauges: a Micrometer counter increments every registry's copy on the engine's thread, and
 * StatsD's builds and queues a line per increment (1.1 µs of CPU a task with StatsD, 140 ns now:
 * {@code gust bench metrics}); StatsD now gets a counter's increase once per interval
 * ({@code name:N|c}), which a StatsD server sums the same way.
 */
public final class GustMetrics {

    public static final String SCHEDULER_HEARTBEAT = "scheduler_heartbeat";
    public static final String TASKS_STARVING = "scheduler.tasks.starving";
    public static final String LOOP_DURATION = "scheduler.scheduler_loop_duration";
    public static final String ORPHANS_ADOPTED = "scheduler.orphaned_tasks.adopted";
    public static final String EXECUTOR_OPEN_SLOTS = "executor.open_slots";
    public static final String EXECUTOR_QUEUED = "executor.queued_tasks";
    public static final String EXECUTOR_RUNNING = "executor.running_tasks";
    public static final String POOL_OPEN_SLOTS = "pool.open_slots";
    public static final String POOL_QUEUED_SLOTS = "pool.queued_slots";
    public static final String POOL_RUNNING_SLOTS = "pool.running_slots";
    public static final String TI_START = "ti.start";
    public static final String TI_FINISH = "ti.finish";
    public static final String TI_SUCCESSES = "ti_successes";
    public static final String TI_FAILURES = "ti_failures";
    public static final String TASK_INSTANCE_CREATED = "task_instance_created";
    /** Its name in Prometheus, which reserves the {@code _created} suffix. */
    public static final String TASK_INSTANCE_CREATED_PROMETHEUS = "created_task_instances";

    public static final String ZOMBIES_KILLED = "zombies_killed";
    public static final String DAGRUN_DURATION_SUCCESS = "dagrun.duration.success";
    public static final String DAGRUN_DURATION_FAILED = "dagrun.duration.failed";
    public static final String DAGRUN_SCHEDULE_DELAY = "dagrun.schedule_delay";
    public static final String TOTAL_PARSE_TIME = "dag_processing.total_parse_time";
    public static final String IMPORT_ERRORS = "dag_processing.import_errors";
    public static final String DAGBAG_SIZE = "dagbag_size";
    /** Gust's own (Airflow has none): what the "queued too long" alarm watches. */
    public static final String OLDEST_QUEUED_AGE = "scheduler.oldest_queued_task_age";

    public static final String ECS_LAUNCH_FAILURES = "ecs_executor.launch_failures";
    public static final String ECS_LAUNCH_RETRIES = "ecs_executor.launch_retries";

    /** Every name above: what the EMF output keeps (the JVM's and the pool's own stay in Prometheus/StatsD). */
    public static final List<String> NAMES = List.of(
            SCHEDULER_HEARTBEAT,
            TASKS_STARVING,
            LOOP_DURATION,
            ORPHANS_ADOPTED,
            EXECUTOR_OPEN_SLOTS,
            EXECUTOR_QUEUED,
            EXECUTOR_RUNNING,
            POOL_OPEN_SLOTS,
            POOL_QUEUED_SLOTS,
            POOL_RUNNING_SLOTS,
            TI_START,
            TI_FINISH,
            TI_SUCCESSES,
            TI_FAILURES,
            TASK_INSTANCE_CREATED,
            ZOMBIES_KILLED,
            DAGRUN_DURATION_SUCCESS,
            DAGRUN_DURATION_FAILED,
            DAGRUN_SCHEDULE_DELAY,
            TOTAL_PARSE_TIME,
            IMPORT_ERRORS,
            DAGBAG_SIZE,
            OLDEST_QUEUED_AGE,
            ECS_LAUNCH_FAILURES,
            ECS_LAUNCH_RETRIES);

    private static final TaskState[] STATES = TaskState.values();

    private final MeterRegistry registry;
    private final LongAdder heartbeat;
    private final LongAdder tiSuccesses;
    private final LongAdder tiFailures;
    private final LongAdder zombiesKilled;
    private final LongAdder taskInstancesCreated;
    private final LongAdder orphansAdopted;
    private final LongAdder ecsLaunchFailures;
    private final LongAdder ecsLaunchRetries;
    private final Timer loopDuration;
    private final AtomicLong starving = new AtomicLong();
    private final AtomicLong executorOpen = new AtomicLong();
    private final AtomicLong executorQueued = new AtomicLong();
    private final AtomicLong executorRunning = new AtomicLong();
    private final AtomicLong totalParseMillis = new AtomicLong();
    private final AtomicLong importErrors = new AtomicLong();
    private final AtomicLong dagbagSize = new AtomicLong();
    private final AtomicLong oldestQueuedSeconds = new AtomicLong();
    private final ConcurrentHashMap<String, PoolGauges> pools = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DagMeters> dags = new ConcurrentHashMap<>();

    private GustMetrics(MeterRegistry registry) {
        this.registry = registry;
        heartbeat = counter(SCHEDULER_HEARTBEAT, "Scheduler heartbeats (one per heartbeat interval)");
        tiSuccesses = counter(TI_SUCCESSES, "Task instance tries that succeeded");
        tiFailures = counter(TI_FAILURES, "Task instance tries that failed (retry or not)");
        zombiesKilled = counter(ZOMBIES_KILLED, "Running tries whose runner went silent, failed by the sweeper");
        taskInstancesCreated = counter(TASK_INSTANCE_CREATED, "Task instances created for started runs");
        orphansAdopted = counter(ORPHANS_ADOPTED, "Queued tries of dead schedulers taken over");
        ecsLaunchFailures = counter(ECS_LAUNCH_FAILURES, "ECS RunTask calls that failed for good");
        ecsLaunchRetries = counter(ECS_LAUNCH_RETRIES, "ECS RunTask calls retried after a transient failure");
        loopDuration = Timer.builder(LOOP_DURATION)
                .description("Time one scheduling round took")
                .register(registry);
        gauge(TASKS_STARVING, starving, "Scheduled task instances that could not be queued for lack of pool slots");
        gauge(EXECUTOR_OPEN_SLOTS, executorOpen, "Free slots of this scheduler's executor");
        gauge(EXECUTOR_QUEUED, executorQueued, "Task instances queued, waiting for an executor");
        gauge(EXECUTOR_RUNNING, executorRunning, "Task instances this scheduler's executor runs");
        Gauge.builder(TOTAL_PARSE_TIME, totalParseMillis, v -> v.get() / 1000.0)
                .description("Seconds the last scan of the DAG folder took")
                .baseUnit("seconds")
                .register(registry);
        gauge(IMPORT_ERRORS, importErrors, "Import errors found by the last scan of the DAG folder");
        gauge(DAGBAG_SIZE, dagbagSize, "DAGs found by the last scan of the DAG folder");
        Gauge.builder(OLDEST_QUEUED_AGE, oldestQueuedSeconds, AtomicLong::get)
                .description("Seconds the longest-queued task instance has waited (0: none queued)")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Metrics recorded into {@code registry}. */
    public static GustMetrics recordingTo(MeterRegistry registry) {
        return new GustMetrics(registry);
    }

    /** Metrics that go nowhere: a composite registry without members hands out no-op meters. */
    public static GustMetrics off() {
        return new GustMetrics(new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** HikariCP's own pool metrics ({@code hikaricp.connections...}) for {@code dataSource}, when it is HikariCP's. */
    public void bindConnectionPool(DataSource dataSource) {
        boolean recording = !(registry instanceof CompositeMeterRegistry composite)
                || !composite.getRegistries().isEmpty();
        if (recording
                && dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari
                && hikari.getMetricRegistry() == null) {
            hikari.setMetricRegistry(registry);
        }
    }

    public void schedulerHeartbeat() {
        heartbeat.increment();
    }

    public void schedulingRound(long nanos) {
        loopDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void tasksStarving(int count) {
        starving.set(count);
    }

    public void executorSlots(int open, int queued, int running) {
        executorOpen.set(open);
        executorQueued.set(queued);
        executorRunning.set(running);
    }

    /** One pool's slots as the queuer counted them ({@code open} is negative for an unlimited pool). */
    public void poolSlots(String pool, long open, long queued, long running) {
        PoolGauges gauges = pools.get(pool);
        if (gauges == null) {
            gauges = pools.computeIfAbsent(pool, this::poolGauges);
        }
        gauges.open.set(open);
        gauges.queued.set(queued);
        gauges.running.set(running);
    }

    public void oldestQueuedTask(Duration age) {
        oldestQueuedSeconds.set(age.toSeconds());
    }

    public void taskInstancesCreated(int count) {
        taskInstancesCreated.add(count);
    }

    public void taskStarted(String dagId, String taskId) {
        dag(dagId).start.increment();
    }

    /** A try ended in {@code state}: {@code ti.finish} by state, and Airflow's success/failure totals. */
    public void taskFinished(String dagId, String taskId, TaskState state) {
        DagMeters meters = dag(dagId);
        LongAdder finish = meters.finish.get(state.ordinal());
        if (finish == null) {
            finish = finishCounter(meters, dagId, state);
        }
        finish.increment();
        if (state == TaskState.SUCCESS) {
            tiSuccesses.increment();
        } else if (state == TaskState.FAILED || state == TaskState.UP_FOR_RETRY) {
            tiFailures.increment();
        }
    }

    public void zombiesKilled(int count) {
        zombiesKilled.add(count);
    }

    public void orphansAdopted(int count) {
        orphansAdopted.add(count);
    }

    public void ecsLaunchFailed() {
        ecsLaunchFailures.increment();
    }

    public void ecsLaunchRetried() {
        ecsLaunchRetries.increment();
    }

    /** A run ended: {@code dagrun.duration.success|failed} for its DAG. */
    public void dagRunFinished(String dagId, boolean success, Duration duration) {
        DagMeters meters = dag(dagId);
        (success ? meters.successDuration : meters.failedDuration).record(duration);
    }

    /** A scheduled run started {@code delay} after its data interval ended. */
    public void dagRunScheduleDelay(String dagId, Duration delay) {
        dag(dagId).scheduleDelay.record(delay);
    }

    /** What one scan of the DAG folder found and how long it took. */
    public void dagFolderScanned(long nanos, int dagCount, int importErrorCount) {
        totalParseMillis.set(TimeUnit.NANOSECONDS.toMillis(nanos));
        dagbagSize.set(dagCount);
        importErrors.set(importErrorCount);
    }

    /**
     * A counter the registries read when they publish; {@code tags} are key, value pairs. The
     * meter holds the adder weakly: the fields and {@link #dags} of this object keep it.
     */
    private LongAdder counter(String name, String description, String... tags) {
        LongAdder count = new LongAdder();
        FunctionCounter.builder(name, count, LongAdder::sum)
                .description(description)
                .tags(tags)
                .register(registry);
        return count;
    }

    /**
     * The {@code ti.finish} counter of a DAG and state, registered on its first use. Synchronized:
     * two threads registering the same meter would each count into an adder of their own while
     * the registry reads only the first.
     */
    private synchronized LongAdder finishCounter(DagMeters meters, String dagId, TaskState state) {
        LongAdder finish = meters.finish.get(state.ordinal());
        if (finish == null) {
            finish = counter(
                    TI_FINISH,
                    "Task instance tries that ended, by the state they ended in",
                    "dag_id",
                    dagId,
                    "state",
                    state.dbName());
            meters.finish.set(state.ordinal(), finish);
        }
        return finish;
    }

    private void gauge(String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
    }

    private PoolGauges poolGauges(String pool) {
        PoolGauges gauges = new PoolGauges(new AtomicLong(), new AtomicLong(), new AtomicLong());
        Gauge.builder(POOL_OPEN_SLOTS, gauges.open, AtomicLong::get)
                .description("Free slots of the pool (-1: unlimited)")
                .tag("pool", pool)
                .register(registry);
        Gauge.builder(POOL_QUEUED_SLOTS, gauges.queued, AtomicLong::get)
                .description("Slots of the pool taken by queued task instances")
                .tag("pool", pool)
                .register(registry);
        Gauge.builder(POOL_RUNNING_SLOTS, gauges.running, AtomicLong::get)
                .description("Slots of the pool taken by running task instances")
                .tag("pool", pool)
                .register(registry);
        return gauges;
    }

    private DagMeters dag(String dagId) {
        DagMeters meters = dags.get(dagId);
        return meters != null ? meters : dags.computeIfAbsent(dagId, this::dagMeters);
    }

    private DagMeters dagMeters(String dagId) {
        return new DagMeters(
                Timer.builder(DAGRUN_DURATION_SUCCESS)
                        .description("How long successful runs of the DAG took")
                        .tag("dag_id", dagId)
                        .register(registry),
                Timer.builder(DAGRUN_DURATION_FAILED)
                        .description("How long failed runs of the DAG took")
                        .tag("dag_id", dagId)
                        .register(registry),
                Timer.builder(DAGRUN_SCHEDULE_DELAY)
                        .description("From the end of a scheduled run's data interval to its start")
                        .tag("dag_id", dagId)
                        .register(registry),
                counter(TI_START, "Task instance tries started", "dag_id", dagId),
                new AtomicReferenceArray<>(STATES.length));
    }

    private record PoolGauges(AtomicLong open, AtomicLong queued, AtomicLong running) {}

    private record DagMeters(
            Timer successDuration,
            Timer failedDuration,
            Timer scheduleDelay,
            LongAdder start,
            AtomicReferenceArray<LongAdder> finish) {}
}
