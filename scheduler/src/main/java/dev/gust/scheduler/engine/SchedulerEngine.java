package dev.gust.scheduler.engine;

import dev.gust.core.config.GustConfig;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Database;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.scheduler.callbacks.CallbackRunner;
import dev.gust.scheduler.executor.TaskExecutor;
import dev.gust.scheduler.loop.PoolSlotsSampler;
import dev.gust.scheduler.loop.SchedulingLoop;
import dev.gust.scheduler.runs.ScheduleTriggers;
import dev.gust.scheduler.sla.SlaChecker;
import dev.gust.scheduler.zombies.QueuedTaskSweeper;
import dev.gust.scheduler.zombies.ZombieSweeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of one process: its job row and heartbeat, the Quartz triggers that create runs,
 * the scheduling loop and the local executor, each on its own thread. It keeps nothing that
 * matters in memory: kill it at any instant and another process carries on from the database.
 * A failing round (the database went away) is logged and retried; it never ends the process.
 */
public final class SchedulerEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerEngine.class);
    private static final long IDLE_POLL_MILLIS = 200;
    private static final Duration TRIGGER_SYNC_INTERVAL = Duration.ofSeconds(2);
    private static final Duration ZOMBIE_SWEEP_INTERVAL = Duration.ofSeconds(5);
    /** How often SLAs and deadlines are checked: one cheap query each, by every scheduler (misses are rows once). */
    private static final Duration SLA_CHECK_INTERVAL = Duration.ofSeconds(10);

    private final SchedulerContext context;
    private final GustConfig config;
    private final Clock clock;
    private final JobRepository jobs;
    private final SchedulingLoop loop;
    private final ZombieSweeper zombies;
    private final SlaChecker slas;
    private final PoolSlotsSampler pools;
    private final GustMetrics metrics;
    private final Wakeup wakeup = new Wakeup();
    private final Wakeup executorWakeup = new Wakeup();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<Instant> lastRoundCompleted = new AtomicReference<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** What exists only while this engine's scheduler job is registered: null until {@link #start}. */
    private volatile Job job;

    /** Quartz's scheduler built by {@link #prepare()}, not started; null until then. */
    private volatile ScheduleTriggers preparedTriggers;

    /** The parts that belong to one registered scheduler job. */
    private record Job(
            long id,
            QueuedTaskSweeper queuedSweeper,
            TaskExecutor executor,
            ScheduleTriggers triggers,
            CallbackRunner callbacks) {}

    /** A scheduler on parts built from the configuration (see {@link SchedulerContext#create}). */
    public SchedulerEngine(GustConfig config, Database database, Clock clock) {
        this(SchedulerContext.create(config, database, clock));
    }

    public SchedulerEngine(SchedulerContext context) {
        // before anything starts: a missing ECS setting is one line naming the key
        context.config().requireExecutorSettings();
        this.context = context;
        this.config = context.config();
        this.clock = context.clock();
        this.jobs = context.stores().jobs();
        this.loop = context.schedulingLoop(null);
        this.zombies = context.zombieSweeper();
        this.slas = context.slaChecker();
        this.pools = context.poolSlotsSampler();
        this.metrics = context.metrics();
    }

    /**
     * Builds Quartz's scheduler ahead of {@link #start()} (a tenth of a second of class loading and
     * set-up), so that the caller can have it built while it syncs the DAG folder; {@code start()}
     * builds it itself otherwise. Nothing runs until {@code start()}.
     */
    public void prepare() {
        if (preparedTriggers == null) {
            preparedTriggers = context.scheduleTriggers();
        }
    }

    /**
     * Registers the job (only now, so that a scheduler that fails to bind its health port never
     * shows up as a job), starts Quartz, the loop and the heartbeat.
     */
    public void start() {
        long jobId = jobs.register(
                JobRepository.SCHEDULER,
                context.hostname(),
                ProcessHandle.current().pid());
        TaskExecutor executor = null;
        Job started;
        try {
            int encrypted = context.stores().variables().encryptStoredSecrets();
            if (encrypted > 0) {
                log.info("encrypted {} sensitive Variables stored in plaintext by an older version", encrypted);
            }
            executor = context.executor(jobId, this::taskFinished);
            started = new Job(
                    jobId,
                    context.queuedSweeper(jobId),
                    executor,
                    preparedTriggers != null ? preparedTriggers : context.scheduleTriggers(),
                    context.callbackRunner(jobId));
        } catch (RuntimeException e) {
            // close() still stops what was built and ends the job
            job = new Job(jobId, null, executor, null, null);
            throw e;
        }
        job = started;
        started.triggers().start();
        started.callbacks().start();
        threads.add(Thread.ofPlatform().name("scheduling-loop").start(() -> loop(started)));
        threads.add(Thread.ofPlatform().name("executor").start(() -> execute(started.executor())));
        threads.add(Thread.ofPlatform().name("schedule-triggers").start(() -> syncTriggers(started)));
        threads.add(Thread.ofPlatform().name("scheduler-heartbeat").daemon().start(() -> heartbeat(started)));
        log.info(
                "scheduler job {} started on {} ({} executor, parallelism {})",
                jobId,
                context.hostname(),
                config.core().executor(),
                config.core().parallelism());
    }

    /** The run creator, for the CLI's trigger and backfill. */
    public DagRunCreator runCreator() {
        return context.runCreator();
    }

    /** When the loop last completed a round: the scheduler's health. */
    public Instant lastRoundCompleted() {
        return lastRoundCompleted.get();
    }

    private void loop(Job running) {
        Instant lastZombieSweep = Instant.EPOCH;
        Instant lastSlaCheck = Instant.EPOCH;
        String lastProblem = null;
        while (!stopping.get()) {
            try {
                long roundStart = System.nanoTime();
                SchedulingLoop.Round round = loop.runOnce(running.id());
                metrics.schedulingRound(System.nanoTime() - roundStart);
                if (round.tasksQueued() > 0) {
                    executorWakeup.signal();
                }
                lastRoundCompleted.set(clock.instant());
                if (lastProblem != null) {
                    log.info("scheduling works again");
                    lastProblem = null;
                }
                // after the round, so that the first one (which makes the scheduler healthy) is not held
                // up by the first SLA check reading every active DAG's definition
                if (Duration.between(lastZombieSweep, clock.instant()).compareTo(ZOMBIE_SWEEP_INTERVAL) >= 0) {
                    metrics.zombiesKilled(zombies.sweep());
                    QueuedTaskSweeper.Outcome swept = running.queuedSweeper().sweep();
                    metrics.orphansAdopted(swept.adopted());
                    if (swept.requeued() > 0) {
                        wakeup.signal();
                    }
                    pools.sample();
                    lastZombieSweep = clock.instant();
                }
                if (Duration.between(lastSlaCheck, clock.instant()).compareTo(SLA_CHECK_INTERVAL) >= 0) {
                    checkSlas();
                    lastSlaCheck = clock.instant();
                }
                if (!round.changedAnything()) {
                    wakeup.await(IDLE_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                    log.warn("a scheduling round failed, retrying: {}", e.getMessage(), e);
                    lastProblem = String.valueOf(e.getMessage());
                }
                sleepQuietly(1000);
            }
        }
    }

    /**
     * Keeps the Quartz triggers in step with the DAGs, on its own thread: with thousands of DAGs
     * a pass (reading every active DAG, arming the changed ones) must never hold up a scheduling
     * round.
     */
    private void syncTriggers(Job running) {
        String lastProblem = null;
        while (!stopping.get()) {
            try {
                running.triggers().sync(context.stores().dags().listActive());
                lastProblem = null;
            } catch (RuntimeException e) {
                if (!stopping.get() && !String.valueOf(e.getMessage()).equals(lastProblem)) {
                    log.warn("updating the schedule triggers failed, retrying: {}", e.getMessage(), e);
                    lastProblem = String.valueOf(e.getMessage());
                }
            }
            // in short naps, so that stopping the engine never waits for a whole interval
            long until = System.nanoTime() + TRIGGER_SYNC_INTERVAL.toNanos();
            while (!stopping.get() && System.nanoTime() < until) {
                sleepQuietly(50);
            }
        }
    }

    /** A failed SLA check is logged and tried again at the next interval; it never stops scheduling. */
    private void checkSlas() {
        try {
            slas.check();
        } catch (RuntimeException e) {
            log.warn("checking SLAs failed, trying again in {}s: {}", SLA_CHECK_INTERVAL.toSeconds(), e.toString(), e);
        }
    }

    /** A finished task frees a slot (for the executor) and may unblock downstream tasks (for the loop). */
    private void taskFinished() {
        wakeup.signal();
        executorWakeup.signal();
    }

    /**
     * Claims queued work whenever slots are free: on its own thread, so that a slow scheduling
     * round never keeps a free slot idle, and polling too, for work other schedulers queued.
     */
    private void execute(TaskExecutor executor) {
        while (!stopping.get()) {
            try {
                if (executor.claimAndStart() == 0) {
                    executorWakeup.await(IDLE_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("claiming queued tasks failed, retrying: {}", e.getMessage(), e);
                sleepQuietly(1000);
            }
        }
    }

    private void heartbeat(Job running) {
        long interval = config.scheduler().heartbeatInterval().toMillis();
        while (!stopping.get()) {
            try {
                jobs.heartbeat(running.id());
                metrics.schedulerHeartbeat();
                running.executor().heartbeat();
            } catch (RuntimeException e) {
                log.warn("heartbeat failed, retrying: {}", e.getMessage(), e);
            }
            sleepQuietly(Math.min(interval, 1000));
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        wakeup.signal();
        Job started = job;
        if (started != null && started.triggers() != null) {
            started.triggers().close();
        } else if (preparedTriggers != null) {
            preparedTriggers.close();
        }
        executorWakeup.signal();
        if (started != null && started.callbacks() != null) {
            started.callbacks().close();
        }
        threads.stream().filter(t -> !t.isDaemon()).forEach(SchedulerEngine::join);
        if (started == null) {
            return;
        }
        TaskExecutor executor = started.executor();
        if (executor != null) {
            try {
                int stopped = executor.stopGracefully(config.scheduler().shutdownGracePeriod());
                if (stopped > 0) {
                    log.info(
                            "stopped {} running tasks after the {} grace period; they go back for retry",
                            stopped,
                            config.scheduler().shutdownGracePeriod());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor.close();
        }
        try {
            jobs.end(started.id(), "success");
        } catch (RuntimeException e) {
            log.warn("could not mark job {} ended: {}", started.id(), e.getMessage(), e);
        }
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
