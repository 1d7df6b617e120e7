package dev.gust.scheduler.zombies;

import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps queued work from being stranded, as Airflow's scheduler does with
 * {@code adopt_or_reset_orphaned_tasks} and {@code task_queued_timeout}. Claiming takes any
 * queued row, whoever queued it, so a live scheduler runs what a dead one queued anyway; this
 * sweep makes the takeover explicit: queued task instances whose scheduler job ended or stopped
 * heartbeating become this job's, and task instances queued for longer than the timeout (no
 * executor started them) go back to scheduled so that they are queued again. Each case leaves a
 * line in the task's log and an event in the event log. Any number of schedulers may sweep at
 * once: every change is one conditional statement.
 */
public final class QueuedTaskSweeper {

    private static final Logger log = LoggerFactory.getLogger(QueuedTaskSweeper.class);

    /** What the sweep needs: where to write, who this scheduler is, and its two thresholds. */
    public record Context(
            TaskInstanceRepository taskInstances,
            TaskLogRepository logs,
            EventLogRepository events,
            long schedulerJobId,
            Duration jobHeartbeatThreshold,
            Duration queuedTimeout,
            Clock clock) {}

    /** What one sweep did. */
    public record Outcome(int adopted, int requeued) {}

    private final Context context;

    public QueuedTaskSweeper(Context context) {
        this.context = context;
    }

    public Outcome sweep() {
        int adopted = 0;
        for (TaskInstanceRepository.Adopted orphan : context.taskInstances()
                .adoptQueuedOfDeadJobs(context.schedulerJobId(), context.jobHeartbeatThreshold())) {
            String reason = "Adopted by scheduler job " + context.schedulerJobId() + ": scheduler job "
                    + orphan.deadJobId()
                    + " on " + orphan.deadJobHostname() + " queued this task and has ended or not heartbeat for "
                    + context.jobHeartbeatThreshold().toSeconds() + "s";
            record(orphan.taskInstance(), "adopt_orphaned_task", reason);
            adopted++;
        }
        int requeued = 0;
        for (TaskInstance stuck : context.taskInstances().requeueQueuedLongerThan(context.queuedTimeout())) {
            String reason = "Queued since " + stuck.queuedAt() + ", longer than task_queued_timeout ("
                    + context.queuedTimeout().toSeconds()
                    + "s) without starting; put back to scheduled to be queued again";
            record(stuck, "requeue_stuck_queued_task", reason);
            requeued++;
        }
        return new Outcome(adopted, requeued);
    }

    private void record(TaskInstance ti, String event, String reason) {
        Instant now = context.clock().instant();
        // The try that has not started yet is the one whose log the user will open.
        context.logs().appendLine(ti.key(), ti.tryNumber() + 1, now, reason);
        context.events()
                .append(new Event(
                        event,
                        ti.key().dagId(),
                        ti.taskId(),
                        ti.key().runId(),
                        "scheduler job " + context.schedulerJobId(),
                        reason));
        log.info("{}: {}", ti.key(), reason);
    }
}
