package dev.gust.scheduler.engine;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.scheduler.executor.Executors;
import dev.gust.scheduler.executor.TaskExecutor;
import dev.gust.scheduler.loop.SchedulingLoop;
import dev.gust.scheduler.operators.OperatorRegistry;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.runs.NextDagrunRecorder;
import dev.gust.scheduler.runs.ScheduleTriggers;
import dev.gust.scheduler.zombies.QueuedTaskSweeper;
import dev.gust.scheduler.zombies.ZombieSweeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    private final GustConfig config;
    private final Jdbc jdbc;
    private final Database database;
    private final Clock clock;
    private final DagDefinitions definitions;
    private final DagRunCreator creator;
    private final SchedulingLoop loop;
    private final JobRepository jobs;
    private final ZombieSweeper zombies;
    private final Wakeup wakeup = new Wakeup();
    private final Wakeup executorWakeup = new Wakeup();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<Instant> lastRoundCompleted = new AtomicReference<>();
    private final String hostname = LocalHostname.get();
    private long jobId;
    private QueuedTaskSweeper queuedSweeper;
    private TaskExecutor executor;
    private ScheduleTriggers triggers;
    private Thread loopThread;
    private Thread executorThread;
    private Thread heartbeatThread;

    public SchedulerEngine(GustConfig config, Database database, Clock clock) {
        // before anything starts: a missing ECS setting is one line naming the key
        config.requireExecutorSettings();
        this.config = config;
        this.database = database;
        this.jdbc = database.jdbc();
        this.clock = clock;
        this.definitions = new DagDefinitions(new DagRepository(jdbc));
        this.creator = new DagRunCreator(new DagRunRepository(jdbc), definitions, config.core().catchupByDefault(), clock);
        this.loop = new SchedulingLoop(jdbc, definitions, config.core().maxActiveRunsPerDag(),
                config.core().maxActiveTasksPerDag(), clock, null);
        this.jobs = new JobRepository(jdbc);
        this.zombies = new ZombieSweeper(new TaskInstanceRepository(jdbc), new TaskLogRepository(jdbc),
                new EventLogRepository(jdbc), definitions, config.scheduler().zombieThreshold(), clock);
    }

    /** Registers the job, starts Quartz, the loop and the heartbeat. */
    public void start() {
        jobId = jobs.register(JobRepository.SCHEDULER, hostname, ProcessHandle.current().pid());
        queuedSweeper = new QueuedTaskSweeper(new QueuedTaskSweeper.Context(new TaskInstanceRepository(jdbc),
                new TaskLogRepository(jdbc), new EventLogRepository(jdbc), jobId,
                config.scheduler().healthCheckThreshold(), config.scheduler().taskQueuedTimeout(), clock));
        SecretCipher cipher = EncryptionKeySource.cipher(config);
        int encrypted = new VariableRepository(jdbc, cipher).encryptStoredSecrets();
        if (encrypted > 0) {
            log.info("encrypted {} sensitive Variables stored in plaintext by an older version", encrypted);
        }
        executor = Executors.forEngine(config, jdbc, definitions, creator, OperatorRegistry.load(),
                new ConnectionRepository(jdbc, cipher), hostname, jobId, this::taskFinished, clock, null);
        triggers = new ScheduleTriggers(database.dataSource(), creator, new NextDagrunRecorder(creator,
                new DagRepository(jdbc)), config.scheduler().clusterCheckinInterval().toMillis());
        triggers.start();
        loopThread = Thread.ofPlatform().name("scheduling-loop").start(this::loop);
        executorThread = Thread.ofPlatform().name("executor").start(this::execute);
        heartbeatThread = Thread.ofPlatform().name("scheduler-heartbeat").daemon().start(this::heartbeat);
        log.info("scheduler job {} started on {} ({} executor, parallelism {})", jobId, hostname, config.core().executor(),
                config.core().parallelism());
    }

    /** The run creator, for the CLI's trigger and backfill. */
    public DagRunCreator runCreator() {
        return creator;
    }

    /** When the loop last completed a round: the scheduler's health. */
    public Instant lastRoundCompleted() {
        return lastRoundCompleted.get();
    }

    private void loop() {
        Instant lastTriggerSync = Instant.EPOCH;
        Instant lastZombieSweep = Instant.EPOCH;
        String lastProblem = null;
        while (!stopping.get()) {
            try {
                if (Duration.between(lastTriggerSync, clock.instant()).compareTo(TRIGGER_SYNC_INTERVAL) >= 0) {
                    triggers.sync(new DagRepository(jdbc).listActive());
                    lastTriggerSync = clock.instant();
                }
                if (Duration.between(lastZombieSweep, clock.instant()).compareTo(ZOMBIE_SWEEP_INTERVAL) >= 0) {
                    zombies.sweep();
                    if (queuedSweeper.sweep().requeued() > 0) {
                        wakeup.signal();
                    }
                    lastZombieSweep = clock.instant();
                }
                SchedulingLoop.Round round = loop.runOnce(jobId);
                if (round.tasksQueued() > 0) {
                    executorWakeup.signal();
                }
                lastRoundCompleted.set(clock.instant());
                if (lastProblem != null) {
                    log.info("scheduling works again");
                    lastProblem = null;
                }
                if (!round.changedAnything()) {
                    wakeup.await(IDLE_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                    log.warn("a scheduling round failed, retrying: {}", e.getMessage());
                    lastProblem = String.valueOf(e.getMessage());
                }
                sleepQuietly(1000);
            }
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
    private void execute() {
        while (!stopping.get()) {
            try {
                if (executor.claimAndStart() == 0) {
                    executorWakeup.await(IDLE_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("claiming queued tasks failed, retrying: {}", e.getMessage());
                sleepQuietly(1000);
            }
        }
    }

    private void heartbeat() {
        long interval = config.scheduler().heartbeatInterval().toMillis();
        while (!stopping.get()) {
            try {
                jobs.heartbeat(jobId);
                executor.heartbeat();
            } catch (RuntimeException e) {
                log.warn("heartbeat failed, retrying: {}", e.getMessage());
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
        if (triggers != null) {
            triggers.close();
        }
        executorWakeup.signal();
        join(loopThread);
        join(executorThread);
        if (executor != null) {
            try {
                int stopped = executor.stopGracefully(config.scheduler().shutdownGracePeriod());
                if (stopped > 0) {
                    log.info("stopped {} running tasks after the {} grace period; they go back for retry", stopped,
                            config.scheduler().shutdownGracePeriod());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor.close();
        }
        if (jobId != 0) {
            try {
                jobs.end(jobId, "success");
            } catch (RuntimeException e) {
                log.warn("could not mark job {} ended: {}", jobId, e.getMessage());
            }
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
