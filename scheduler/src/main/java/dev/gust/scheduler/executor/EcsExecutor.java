package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceTry;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Runs each queued task instance as its own Fargate task, as Airflow's ECS executor does. It
 * claims queued rows like the local executor (as running, with no worker pid), launches one
 * {@code RunTask} per try (retrying launch failures with exponential backoff up to
 * {@code ecs.launch_retries}, then failing the try with the reason), stores the task ARN on the row
 * and heartbeats the row while the ECS task lives. The worker in the task records the real outcome
 * itself; this executor only handles what a worker could not: an ECS task that stopped without
 * its worker recording anything fails the try (or retries it) with ECS's stop reason in the log.
 * Running ECS tasks of a scheduler that died or stopped are adopted by their stored ARN, never
 * launched again; a task instance that leaves running elsewhere (cleared, marked, timed out) gets
 * its ECS task stopped.
 */
public final class EcsExecutor implements TaskExecutor {

    private static final Logger log = LoggerFactory.getLogger(EcsExecutor.class);
    static final String NAME = "ecs";

    /**
     * A launched try; {@code leftRunningAt} is when its row left running elsewhere (null while
     * running), {@code desiredStatus} what ECS last said it wants for the task (null before the
     * first describe).
     */
    private record InFlight(
            TaskInstance ti, String taskArn, Instant leftRunningAt, boolean stopRequested, String desiredStatus) {
        InFlight(TaskInstance ti, String taskArn) {
            this(ti, taskArn, null, false, null);
        }

        InFlight leftRunning(Instant at) {
            return new InFlight(ti, taskArn, at, false, desiredStatus);
        }

        InFlight stopping() {
            return new InFlight(ti, taskArn, leftRunningAt, true, desiredStatus);
        }

        InFlight described(String desired) {
            return new InFlight(ti, taskArn, leftRunningAt, stopRequested, desired);
        }
    }

    /** A claimed try whose RunTask failed and waits for its next attempt. */
    private record PendingLaunch(TaskInstance ti, int failedAttempts, Instant nextAttemptAt) {}

    /** What the executor needs besides the task services: one record, not a dozen parameters. */
    record Settings(
            GustConfig.Ecs ecs,
            int parallelism,
            long jobId,
            Duration adoptAfterSilence,
            Runnable onTaskFinished,
            RunFilter runFilter,
            Clock clock) {}

    private final TaskRunServices services;
    private final EcsClient client;
    private final EcsTaskLauncher launcher;
    private final Settings settings;
    // By try, not by key: after a clear the same key runs again as a new ECS task while the
    // earlier try's task is still being stopped, and both must be followed to the end.
    private final Map<TaskInstanceTry, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<TaskInstanceTry, PendingLaunch> pending = new ConcurrentHashMap<>();
    // Claimed tries whose RunTask is on its way: heartbeat like the others, since a round of up
    // to `parallelism` RunTask calls (with the SDK's retries) takes as long as ECS makes it.
    private final Set<TaskInstanceTry> launching = ConcurrentHashMap.newKeySet();
    // One claim-and-launch round at a time. Not the object's monitor: the heartbeat must never
    // wait for RunTask calls, or the scheduler's own heartbeat stops and ECS replaces it.
    private final Object claimRound = new Object();
    private volatile Instant lastPoll = Instant.EPOCH;
    private volatile Instant lastAdoption = Instant.EPOCH;

    EcsExecutor(TaskRunServices services, EcsClient client, Settings settings) {
        this.services = services;
        this.client = client;
        this.settings = settings;
        this.launcher = new EcsTaskLauncher(client, settings.ecs());
    }

    @Override
    public int claimAndStart() {
        synchronized (claimRound) {
            Instant now = settings.clock().instant();
            if (Duration.between(lastAdoption, now).compareTo(settings.ecs().pollInterval()) >= 0) {
                adoptOrphans();
                lastAdoption = now;
            }
            for (PendingLaunch retry : List.copyOf(pending.values())) {
                if (!retry.nextAttemptAt().isAfter(now)) {
                    launching.add(retry.ti().currentTry());
                    if (pending.remove(retry.ti().currentTry(), retry)) {
                        launchWatched(retry.ti(), retry.failedAttempts());
                    } else {
                        launching.remove(retry.ti().currentTry());
                    }
                }
            }
            int free = settings.parallelism() - inFlight.size() - pending.size();
            services.metrics().executorSlots(Math.max(free, 0), pending.size() + launching.size(), inFlight.size());
            List<TaskInstance> claimed = services.taskInstances()
                    .claimQueued(free, services.hostname(), null, settings.jobId(), settings.runFilter(), NAME);
            claimed.forEach(ti -> launching.add(ti.currentTry()));
            for (TaskInstance ti : claimed) {
                launchWatched(ti, 0);
            }
            return claimed.size();
        }
    }

    /** Launches a try that is in {@link #launching}; once its outcome is tracked, it leaves that set. */
    private void launchWatched(TaskInstance ti, int failedAttempts) {
        try {
            launch(ti, failedAttempts);
        } finally {
            launching.remove(ti.currentTry());
        }
    }

    /**
     * Tries of schedulers that ended or went silent: tracked from here on by their stored ARN, not
     * launched again. A try without an ARN (its scheduler died around RunTask) is looked up by its
     * startedBy; only when ECS has no task for it is it launched, so it still runs once.
     */
    private void adoptOrphans() {
        for (TaskInstance ti :
                services.taskInstances().adoptRunningOfDeadJobs(NAME, settings.jobId(), settings.adoptAfterSilence())) {
            String arn = ti.externalExecutorId();
            if (arn == null) {
                String startedBy = EcsTaskLauncher.startedBy(ti.key(), ti.tryNumber());
                List<String> found;
                try {
                    // ListTasks shows running tasks unless asked for stopped ones; a stopped one is tracked
                    // too, so the next poll fails the try with its stop reason instead of launching again
                    found = new ArrayList<>(
                            client.listTasks(b -> b.cluster(settings.ecs().cluster())
                                            .startedBy(startedBy)
                                            .desiredStatus(DesiredStatus.RUNNING))
                                    .taskArns());
                    List<String> stopped = client.listTasks(
                                    b -> b.cluster(settings.ecs().cluster())
                                            .startedBy(startedBy)
                                            .desiredStatus(DesiredStatus.STOPPED))
                            .taskArns();
                    if (found.isEmpty() && !stopped.isEmpty()) {
                        // a same-numbered try that was put back uncounted earlier has the same startedBy:
                        // only a task created after this claim is this try's
                        Instant claimedAt = ti.startDate() == null ? Instant.EPOCH : ti.startDate();
                        client
                                .describeTasks(
                                        b -> b.cluster(settings.ecs().cluster()).tasks(stopped))
                                .tasks()
                                .stream()
                                .filter(t ->
                                        t.createdAt() != null && !t.createdAt().isBefore(claimedAt))
                                .forEach(t -> found.add(t.taskArn()));
                    }
                } catch (SdkException e) {
                    // not knowing is not "none": launching could run the try twice; the row gets no
                    // heartbeat from here, so the zombie sweep retries it as a new try
                    log.warn("ListTasks for {} failed: {}", ti.key(), e.getMessage(), e);
                    continue;
                }
                if (found.isEmpty() && ti.state() == TaskState.RESTARTING) {
                    // cleared before it ever ran: nothing to stop, it may be scheduled again
                    services.taskInstances().releaseCleared(ti.currentTry());
                    continue;
                }
                if (found.isEmpty()) {
                    logLine(
                            ti,
                            "Scheduler job " + settings.jobId() + " adopted this try of a scheduler that is gone"
                                    + " before it launched an ECS task; launching it now.");
                    launch(ti, 0);
                    continue;
                }
                arn = found.getFirst();
                services.taskInstances().recordExternalExecutorId(ti.key(), ti.tryNumber(), arn);
            }
            InFlight adopted = new InFlight(ti, arn);
            // a cleared try's task is stopped like one that left running under this scheduler
            inFlight.put(
                    ti.currentTry(),
                    ti.state() == TaskState.RESTARTING
                            ? adopted.leftRunning(settings.clock().instant())
                            : adopted);
            logLine(
                    ti,
                    "Scheduler job " + settings.jobId() + " adopted ECS task " + arn
                            + " of a scheduler that is gone; it is not launched again.");
            log.info("adopted ECS task {} of {} try {}", arn, ti.key(), ti.tryNumber());
        }
    }

    private void launch(TaskInstance ti, int failedAttempts) {
        EcsTaskLauncher.Launch result = launcher.launch(ti.key(), ti.tryNumber(), executorConfig(ti));
        switch (result) {
            case EcsTaskLauncher.Launch.Started started -> {
                if (services.taskInstances().recordExternalExecutorId(ti.key(), ti.tryNumber(), started.taskArn())) {
                    inFlight.put(ti.currentTry(), new InFlight(ti, started.taskArn()));
                    logLine(
                            ti,
                            "Launched ECS task " + started.taskArn() + " (startedBy "
                                    + EcsTaskLauncher.startedBy(ti.key(), ti.tryNumber()) + ") for try "
                                    + ti.tryNumber());
                } else {
                    // cleared while RunTask was on its way: nobody wants this try any more; followed
                    // until it has stopped, which releases a restarting row to run again
                    stop(started.taskArn(), "Gust: the task instance was changed before its ECS task was recorded");
                    inFlight.put(
                            ti.currentTry(),
                            new InFlight(ti, started.taskArn())
                                    .leftRunning(settings.clock().instant())
                                    .stopping());
                }
            }
            case EcsTaskLauncher.Launch.Failed failed -> {
                int attempts = failedAttempts + 1;
                int allowed = settings.ecs().launchRetries() + 1;
                if (attempts >= allowed) {
                    services.metrics().ecsLaunchFailed();
                    failTry(ti, "could not launch the ECS task after " + attempts + " attempts: " + failed.reason());
                } else {
                    services.metrics().ecsLaunchRetried();
                    Duration wait = settings.ecs().launchBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
                    logLine(
                            ti,
                            "Launch attempt " + attempts + " of " + allowed + " failed: " + failed.reason()
                                    + "; retrying in " + wait);
                    pending.put(
                            ti.currentTry(),
                            new PendingLaunch(
                                    ti, attempts, settings.clock().instant().plus(wait)));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> executorConfig(TaskInstance ti) {
        TaskSpec task = task(ti);
        return task != null && task.args().get("executor_config") instanceof Map<?, ?> map
                ? (Map<String, Object>) map
                : null;
    }

    private TaskSpec task(TaskInstance ti) {
        DagDefinitions.Loaded loaded = services.definitions()
                .current(List.of(ti.key().dagId()))
                .get(ti.key().dagId());
        return loaded == null ? null : loaded.dag().task(ti.taskId()).orElse(null);
    }

    @Override
    public synchronized void heartbeat() {
        // Every ECS task not yet seen STOPPED is heartbeat until its worker has started (a cleared
        // try's too: it stays restarting until its task has stopped, and must not look dead
        // meanwhile); a started worker heartbeats for itself, so a stuck one becomes a zombie.
        Set<TaskInstanceTry> watched = new HashSet<>(pending.keySet());
        watched.addAll(inFlight.keySet());
        watched.addAll(launching);
        Set<TaskInstanceTry> stillRunning = Set.copyOf(services.taskInstances().heartbeatLaunched(watched));
        Instant now = settings.clock().instant();
        for (TaskInstanceTry attempt : watched) {
            if (stillRunning.contains(attempt) || launching.contains(attempt)) {
                // a try being launched is settled by its launch (a cleared one is stopped there)
                continue;
            }
            if (pending.remove(attempt) != null) {
                // never launched, so nothing to stop: a cleared one may run again at once
                services.taskInstances().releaseCleared(attempt);
                settings.onTaskFinished().run();
            }
            inFlight.computeIfPresent(attempt, (k, f) -> f.leftRunningAt() == null ? f.leftRunning(now) : f);
        }
        if (Duration.between(lastPoll, now).compareTo(settings.ecs().pollInterval()) >= 0) {
            poll();
            lastPoll = now;
        }
        // The worker notices a clear by its own heartbeat and exits; StopTask is for one that does not.
        Duration grace = settings.ecs().pollInterval().multipliedBy(3);
        for (InFlight f : List.copyOf(inFlight.values())) {
            // a task whose container exited is already on its way to STOPPED (deprovisioning can take a while)
            boolean stillWanted = f.desiredStatus() == null || "RUNNING".equals(f.desiredStatus());
            if (f.leftRunningAt() != null
                    && !f.stopRequested()
                    && stillWanted
                    && Duration.between(f.leftRunningAt(), now).compareTo(grace) >= 0) {
                TaskInstance row = services.taskInstances().find(f.ti().key()).orElse(null);
                stop(
                        f.taskArn(),
                        "Gust: task instance " + f.ti().key() + " try " + f.ti().tryNumber() + " is "
                                + (row == null ? "gone" : row.state().dbName()));
                inFlight.computeIfPresent(f.ti().currentTry(), (k, v) -> v.stopping());
            }
        }
    }

    /** Batched DescribeTasks (ECS takes up to 100 ARNs per call) of every launched try. */
    private void poll() {
        List<InFlight> all = List.copyOf(inFlight.values());
        int batch = settings.ecs().maxTasksPerDescribe();
        for (int from = 0; from < all.size(); from += batch) {
            List<InFlight> slice = all.subList(from, Math.min(all.size(), from + batch));
            Map<String, InFlight> byArn = new java.util.HashMap<>();
            slice.forEach(f -> byArn.put(f.taskArn(), f));
            DescribeTasksResponse response;
            try {
                response = client.describeTasks(
                        b -> b.cluster(settings.ecs().cluster()).tasks(byArn.keySet()));
            } catch (SdkException e) {
                log.warn("DescribeTasks failed, trying again on the next poll: {}", e.getMessage(), e);
                return;
            }
            for (Task task : response.tasks()) {
                InFlight f = byArn.get(task.taskArn());
                if (f == null) {
                    continue;
                }
                if ("STOPPED".equals(task.lastStatus())) {
                    stopped(f, describeStop(task));
                } else {
                    inFlight.computeIfPresent(f.ti().currentTry(), (k, v) -> v.described(task.desiredStatus()));
                }
            }
            for (Failure failure : response.failures()) {
                InFlight f = byArn.get(failure.arn());
                if (f != null && "MISSING".equals(failure.reason())) {
                    stopped(f, "ECS no longer knows the task (MISSING)");
                }
            }
        }
    }

    private String describeStop(Task task) {
        StringBuilder reason = new StringBuilder("stopCode ")
                .append(task.stopCodeAsString())
                .append(", stoppedReason '")
                .append(task.stoppedReason())
                .append('\'');
        for (Container container : task.containers()) {
            if (settings.ecs().containerName().equals(container.name())
                    || task.containers().size() == 1) {
                reason.append(", exit code ").append(container.exitCode());
                if (container.reason() != null) {
                    reason.append(", container reason '")
                            .append(container.reason())
                            .append('\'');
                }
            }
        }
        return reason.toString();
    }

    /**
     * The ECS task is gone: if its worker recorded nothing for this try, the try failed; if the
     * try was cleared while it ran, it may now run again.
     */
    private void stopped(InFlight f, String reason) {
        inFlight.remove(f.ti().currentTry());
        TaskInstance row = services.taskInstances().find(f.ti().key()).orElse(null);
        boolean sameTry = row != null && row.tryNumber() == f.ti().tryNumber();
        if (sameTry && row.state() == TaskState.RUNNING) {
            failTry(
                    f.ti(),
                    "the ECS task " + f.taskArn() + " stopped before its worker recorded an outcome: " + reason);
        } else if (sameTry
                && row.state() == TaskState.RESTARTING
                && services.taskInstances().releaseCleared(f.ti().currentTry())) {
            logLine(
                    f.ti(),
                    "The ECS task " + f.taskArn() + " of this cleared try has stopped (" + reason
                            + "); the task will be scheduled again.");
        }
        settings.onTaskFinished().run();
    }

    private void failTry(TaskInstance ti, String reason) {
        TaskSpec task = task(ti);
        try (DatabaseTaskLog taskLog = new DatabaseTaskLog(services.taskLogs(), ti.key(), ti.tryNumber(), s -> s)) {
            DagDefinitions.Loaded loaded = services.definitions()
                    .current(List.of(ti.key().dagId()))
                    .get(ti.key().dagId());
            services.recorder()
                    .record(
                            loaded == null ? null : loaded.dag(),
                            task,
                            ti,
                            task == null
                                    ? new OperatorOutcome.FailedWithoutRetry(reason)
                                    : new OperatorOutcome.Failed(reason),
                            taskLog);
        }
        settings.onTaskFinished().run();
    }

    private void stop(String taskArn, String reason) {
        try {
            client.stopTask(
                    b -> b.cluster(settings.ecs().cluster()).task(taskArn).reason(truncate(reason)));
            log.info("stopped ECS task {}: {}", taskArn, reason);
        } catch (SdkException e) {
            log.warn("StopTask of {} failed, trying again later: {}", taskArn, e.getMessage(), e);
        }
    }

    private static String truncate(String reason) {
        // ECS keeps at most 255 characters of a stop reason
        return reason.length() <= 255 ? reason : reason.substring(0, 255);
    }

    private void logLine(TaskInstance ti, String line) {
        services.taskLogs()
                .appendLine(ti.key(), ti.tryNumber(), settings.clock().instant(), line);
    }

    @Override
    public int runningCount() {
        return inFlight.size() + pending.size() + launching.size();
    }

    /**
     * Launched ECS tasks keep running: the next scheduler adopts them. Tries still waiting for a
     * launch attempt go back for retry without counting.
     */
    @Override
    public int stopGracefully(Duration grace) {
        synchronized (claimRound) {
            return releasePending();
        }
    }

    private synchronized int releasePending() {
        int released = 0;
        for (PendingLaunch p : List.copyOf(pending.values())) {
            if (services.taskInstances().releaseUnfinished(p.ti().currentTry())
                    || services.taskInstances().releaseCleared(p.ti().currentTry())) {
                released++;
            }
        }
        pending.clear();
        return released;
    }

    @Override
    public void close() {
        client.close();
    }
}
