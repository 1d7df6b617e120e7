package dev.gust.scheduler.runs;

import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.runs.NextDagrunRecorder;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.dags.StoredDag;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Quartz trigger per scheduled DAG, in Quartz's clustered JDBC job store on the metadata
 * database: whichever scheduler is alive fires it (a dead one's triggers move to a live one
 * after the cluster check-in interval). A trigger fires when the DAG's next interval ends; its
 * job creates every due run ({@link DagRunCreator#createDueRuns}, idempotent) and re-arms the
 * trigger for the following interval. A silent scheduler's triggers move to a live one after its
 * check-in interval and {@link ClusteredTriggerStore}'s grace. A misfire (no scheduler was up) fires at once, and the job
 * then catches up on everything missed. The job asks Quartz for recovery, so a scheduler killed
 * while it ran (its one-shot trigger spent, the next not armed yet) has it run again by a live
 * one; and every {@link #RECHECK_INTERVAL} each scheduler checks that every scheduled DAG still
 * has a trigger, re-arming any that a crash left without one ({@link ArmedTriggers}: one query
 * for all DAGs, also at start-up).
 */
public final class ScheduleTriggers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScheduleTriggers.class);
    private static final String SCHEDULER_NAME = "gust";
    private static final String GROUP = "dag-schedules";
    private static final String VERSION = "versionHash";
    private static final java.time.Duration RECHECK_INTERVAL = java.time.Duration.ofSeconds(30);

    private final Scheduler quartz;
    private final DagRunCreator creator;
    private final NextDagrunRecorder nextDagruns;
    private final Map<String, String> armedVersions = new java.util.concurrent.ConcurrentHashMap<>();
    /** The version of each DAG without a trigger (paused, unscheduled) whose next run was last written. */
    private final Map<String, String> notedVersions = new java.util.concurrent.ConcurrentHashMap<>();

    private final ArmedTriggers armed;
    /** Zero: the first sync reads what is armed already, as a recheck does. */
    private volatile long lastRecheckNanos;

    public ScheduleTriggers(
            DataSource dataSource, DagRunCreator creator, NextDagrunRecorder nextDagruns, long checkinIntervalMillis) {
        this.creator = creator;
        this.nextDagruns = nextDagruns;
        this.armed = new ArmedTriggers(new Jdbc(dataSource), SCHEDULER_NAME, GROUP);
        String dataSourceName = "gust-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PooledConnections(dataSource));
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        properties.setProperty("org.quartz.scheduler.instanceId", newInstanceId());
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.jobStore.class", ClusteredTriggerStore.class.getName());
        properties.setProperty(
                "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMillis));
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        // After a database outage Quartz waits this long between attempts (default 15 s); runs
        // should resume within seconds of the database coming back.
        properties.setProperty("org.quartz.jobStore.dbRetryInterval", "1000");
        properties.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory();
            factory.initialize(properties);
            quartz = factory.getScheduler();
            // Quartz keeps schedulers in a JVM-wide registry by name, and every node of a cluster
            // must share the name; without this, a second engine in one JVM (tests, benchmarks)
            // would get this very instance instead of being a node of its own.
            org.quartz.impl.SchedulerRepository.getInstance().remove(quartz.getSchedulerName());
            quartz.setJobFactory((bundle, scheduler) -> new CreateDueRunsJob(this));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot set up Quartz on the metadata database: " + e.getMessage(), e);
        }
    }

    /**
     * This node's name in Quartz's tables ({@code qrtz_scheduler_state}, {@code qrtz_fired_triggers}):
     * the pid first, so that an operator (or a crash test) can tell which process holds a trigger.
     */
    private static String newInstanceId() {
        return ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public void start() {
        try {
            quartz.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start Quartz: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the triggers match the DAGs: one per active, unpaused DAG with a schedule, re-armed
     * when its definition changed; none for the others. Only what changed since the last call
     * touches Quartz's tables.
     */
    public void sync(List<StoredDag> dags) {
        Map<String, StoredDag> wanted = dags.stream()
                .filter(d -> d.active()
                        && !d.paused()
                        && d.scheduleExpression() != null
                        && !d.scheduleExpression().startsWith("datasets"))
                .collect(Collectors.toMap(StoredDag::dagId, d -> d));
        if (lastRecheckNanos == 0 || System.nanoTime() - lastRecheckNanos > RECHECK_INTERVAL.toNanos()) {
            // what is armed, by any scheduler, in one query: a DAG a crash left without a trigger
            // is missing from it and is armed again below
            armedVersions.clear();
            armed.versions().forEach((dagId, version) -> {
                if (version != null) {
                    armedVersions.put(dagId, version);
                }
            });
            notedVersions.clear();
            lastRecheckNanos = System.nanoTime();
        }
        // DAGs without a trigger still show their next run (a paused DAG's), or none any more
        // (a DAG whose schedule was removed), as Airflow's DAG list does
        for (StoredDag dag : dags) {
            if (!wanted.containsKey(dag.dagId())
                    && dag.active()
                    && !dag.versionHash().equals(notedVersions.put(dag.dagId(), dag.versionHash()))) {
                refreshNextDagrun(dag.dagId());
            }
        }
        try {
            for (StoredDag dag : wanted.values()) {
                if (!dag.versionHash().equals(armedVersions.get(dag.dagId()))) {
                    arm(dag.dagId(), dag.versionHash());
                }
            }
            Set<JobKey> existing = quartz.getJobKeys(GroupMatcher.jobGroupEquals(GROUP));
            for (JobKey key : existing) {
                if (!wanted.containsKey(key.getName())) {
                    quartz.deleteJob(key);
                    armedVersions.remove(key.getName());
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot update the schedule triggers: " + e.getMessage(), e);
        }
    }

    /** (Re)arms a DAG's trigger at its next run's creation time, unless another scheduler already did. */
    private void arm(String dagId, String versionHash) throws SchedulerException {
        JobKey jobKey = JobKey.jobKey(dagId, GROUP);
        JobDetail existing = quartz.getJobDetail(jobKey);
        if (existing != null
                && versionHash.equals(existing.getJobDataMap().getString(VERSION))
                && versionHash.equals(existing.getDescription())
                && existing.requestsRecovery()
                && !quartz.getTriggersOfJob(jobKey).isEmpty()) {
            armedVersions.put(dagId, versionHash);
            return;
        }
        Optional<Instant> next = refreshNextDagrun(dagId);
        JobDetail job = JobBuilder.newJob(CreateDueRunsJob.class)
                .withIdentity(jobKey)
                .withDescription(versionHash) // read back in bulk by ArmedTriggers
                .usingJobData(VERSION, versionHash)
                .storeDurably()
                .requestRecovery()
                .build();
        quartz.addJob(job, true);
        if (next.isPresent()) {
            schedule(dagId, next.get());
        } else {
            unscheduleAllBut(jobKey, null);
        }
        armedVersions.put(dagId, versionHash);
        log.debug("armed the schedule of {} at {}", dagId, next.orElse(null));
    }

    /**
     * One trigger per fire time, named after it: re-arming from inside the firing job must not
     * reuse the key of the trigger Quartz deletes when that job completes. Two schedulers arming
     * the same time produce the same key, so only one trigger exists.
     */
    private void schedule(String dagId, Instant at) {
        TriggerKey key = TriggerKey.triggerKey(dagId + "@" + at.toEpochMilli(), GROUP);
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(key)
                .forJob(dagId, GROUP)
                .startAt(Date.from(at))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            if (!quartz.checkExists(key)) {
                quartz.scheduleJob(trigger);
            }
            unscheduleAllBut(JobKey.jobKey(dagId, GROUP), key);
        } catch (org.quartz.ObjectAlreadyExistsException raced) {
            // another scheduler armed the same fire time: fine
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule " + dagId + ": " + e.getMessage(), e);
        }
    }

    private void unscheduleAllBut(JobKey job, TriggerKey keep) {
        try {
            for (Trigger trigger : quartz.getTriggersOfJob(job)) {
                if (!trigger.getKey().equals(keep)) {
                    quartz.unscheduleJob(trigger.getKey());
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException(
                    "cannot update the triggers of " + job.getName() + ": " + e.getMessage(), e);
        }
    }

    void fired(String dagId) {
        int created = creator.createDueRuns(dagId).size();
        if (created > 0) {
            log.info("created {} scheduled runs of {}", created, dagId);
        }
        refreshNextDagrun(dagId).ifPresent(at -> schedule(dagId, at));
    }

    /**
     * Records the DAG's next scheduled run for the UI and the API and returns when it is due: the
     * end of its interval.
     */
    private Optional<Instant> refreshNextDagrun(String dagId) {
        return nextDagruns.record(dagId).map(DataInterval::end);
    }

    /** Stops firing; with {@code waitForJobs}, lets a firing job finish first. */
    @Override
    public void close() {
        try {
            quartz.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("stopping Quartz: {}", e.getMessage(), e);
        }
    }

    /** The job of every DAG trigger; one at a time per DAG, even across schedulers. */
    @DisallowConcurrentExecution
    public static final class CreateDueRunsJob implements Job {
        private final ScheduleTriggers triggers;

        CreateDueRunsJob(ScheduleTriggers triggers) {
            this.triggers = triggers;
        }

        @Override
        public void execute(JobExecutionContext context) {
            String dagId = context.getJobDetail().getKey().getName();
            try {
                triggers.fired(dagId);
            } catch (RuntimeException e) {
                // Leave the trigger for the next sync to re-arm; never kill Quartz's thread.
                log.warn("creating the due runs of {} failed: {}", dagId, e.getMessage(), e);
                triggers.armedVersions.remove(dagId);
            }
        }
    }

    /** Quartz's connections come from Gust's own pool. */
    private record PooledConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the process, not to Quartz
        }

        @Override
        public void initialize() {
            // nothing: the pool is ready
        }
    }
}
