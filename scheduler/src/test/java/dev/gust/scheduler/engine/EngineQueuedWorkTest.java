package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.events.LoggedEvent;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.testing.SettableClock;
import dev.gust.scheduler.loop.SchedulingLoop;
import dev.gust.scheduler.zombies.QueuedTaskSweeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queued work outlives the scheduler that queued it: what a dead scheduler job queued is adopted
 * by a live one (and claimable by any), and what sits queued longer than
 * {@code task_queued_timeout} goes back to scheduled and is queued again, each with a line in the
 * task's log and an event in the event log.
 */
class EngineQueuedWorkTest {

    private static final String DAG = "queued_work";

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    Jdbc jdbc;
    JobRepository jobs;
    TaskInstanceRepository tis;
    String runId;
    long me;

    @BeforeEach
    void setUp() {
        harness.dag("queued_work.yaml", """
                queued_work:
                  schedule: null
                  tasks:
                    by_ended_job: {operator: bash, bash_command: 'true'}
                    by_silent_job: {operator: bash, bash_command: 'true'}
                    by_live_job: {operator: bash, bash_command: 'true'}
                    stuck: {operator: bash, bash_command: 'true'}
                """);
        harness.unpause(DAG);
        jdbc = harness.db().jdbc();
        jobs = new JobRepository(jdbc);
        tis = new TaskInstanceRepository(jdbc);
        DagDefinitions definitions = new DagDefinitions(new DagRepository(jdbc));
        runId = new DagRunCreator(new DagRunRepository(jdbc), definitions, false, Clock.systemUTC())
                .trigger(DAG, Map.of(), Instant.parse("2024-01-01T00:00:00Z"), "test");
        me = jobs.register(JobRepository.SCHEDULER, "live-host", 1000);
    }

    @Test
    void queuedWorkOfADeadSchedulerJobIsAdoptedWithTheReasonAndAnyLiveSchedulerClaimsIt() {
        long ended = jobs.register(JobRepository.SCHEDULER, "ended-host", 2000);
        jobs.end(ended, "success");
        long silent = jobs.register(JobRepository.SCHEDULER, "silent-host", 3000);
        jdbc.update(
                "UPDATE job SET latest_heartbeat = now() - interval '2 minutes' WHERE id = :id",
                Params.of("id", silent));
        long live = jobs.register(JobRepository.SCHEDULER, "other-live-host", 4000);
        queued("by_ended_job", ended, "now()");
        queued("by_silent_job", silent, "now()");
        queued("by_live_job", live, "now()");

        QueuedTaskSweeper.Outcome outcome = sweeper(Duration.ofMinutes(10)).sweep();

        assertThat(outcome).isEqualTo(new QueuedTaskSweeper.Outcome(2, 0));
        assertThat(ti("by_ended_job").queuedByJobId()).isEqualTo(me);
        assertThat(ti("by_silent_job").queuedByJobId()).isEqualTo(me);
        assertThat(ti("by_live_job").queuedByJobId())
                .as("a live job keeps its work")
                .isEqualTo(live);
        assertThat(List.of(ti("by_ended_job"), ti("by_silent_job"), ti("by_live_job")))
                .allSatisfy(ti -> assertThat(ti.state()).isEqualTo(TaskState.QUEUED));
        assertThat(log("by_silent_job", 1))
                .contains("Adopted by scheduler job " + me)
                .contains("scheduler job " + silent + " on silent-host");
        assertThat(events("adopt_orphaned_task"))
                .extracting(e -> e.event().taskId())
                .containsExactlyInAnyOrder("by_ended_job", "by_silent_job");
        assertThat(sweeper(Duration.ofMinutes(10)).sweep())
                .as("nothing left to adopt")
                .isEqualTo(new QueuedTaskSweeper.Outcome(0, 0));

        // Claiming never looks at who queued a row: a live scheduler runs every one of them.
        List<TaskInstance> claimed = tis.claimQueued(10, "live-host", 1000, me, null);
        assertThat(claimed)
                .extracting(TaskInstance::taskId)
                .containsExactlyInAnyOrder("by_ended_job", "by_silent_job", "by_live_job");
        assertThat(claimed).allSatisfy(ti -> {
            assertThat(ti.state()).isEqualTo(TaskState.RUNNING);
            assertThat(ti.queuedByJobId()).isEqualTo(me);
        });
    }

    @Test
    void workQueuedLongerThanTheTimeoutIsScheduledAndQueuedAgain() {
        long live = jobs.register(JobRepository.SCHEDULER, "other-live-host", 4000);
        queued("stuck", live, "now() - interval '11 minutes'");
        queued("by_live_job", live, "now() - interval '9 minutes'");
        Instant stuckSince = ti("stuck").queuedAt();

        QueuedTaskSweeper.Outcome outcome = sweeper(Duration.ofMinutes(10)).sweep();

        assertThat(outcome).isEqualTo(new QueuedTaskSweeper.Outcome(0, 1));
        assertThat(ti("stuck").state()).isEqualTo(TaskState.SCHEDULED);
        assertThat(ti("by_live_job").state()).as("queued within the timeout").isEqualTo(TaskState.QUEUED);
        assertThat(log("stuck", 1)).contains("task_queued_timeout (600s)").contains("put back to scheduled");
        assertThat(events("requeue_stuck_queued_task"))
                .singleElement()
                .satisfies(e -> assertThat(e.event().taskId()).isEqualTo("stuck"));

        // The next scheduling round queues it again, as this scheduler's, with a fresh queued time.
        new SchedulingLoop(
                        harness.stores(),
                        new DagDefinitions(new DagRepository(jdbc)),
                        16,
                        16,
                        false,
                        Clock.systemUTC(),
                        null)
                .runOnce(me);
        TaskInstance requeued = ti("stuck");
        assertThat(requeued.state()).isEqualTo(TaskState.QUEUED);
        assertThat(requeued.queuedByJobId()).isEqualTo(me);
        assertThat(requeued.queuedAt()).isAfter(stuckSince);
        assertThat(sweeper(Duration.ofMinutes(10)).sweep().requeued())
                .as("queued anew, not stuck")
                .isZero();
    }

    @Test
    void aSchedulingRoundRecordsWhichSchedulerJobQueuedTheWork() {
        new SchedulingLoop(
                        harness.stores(),
                        new DagDefinitions(new DagRepository(jdbc)),
                        16,
                        16,
                        false,
                        Clock.systemUTC(),
                        null)
                .runOnce(me);

        assertThat(tis.listForRun(DAG, runId)).hasSize(4).allSatisfy(ti -> {
            assertThat(ti.state()).isEqualTo(TaskState.QUEUED);
            assertThat(ti.queuedByJobId()).isEqualTo(me);
        });
    }

    private QueuedTaskSweeper sweeper(Duration queuedTimeout) {
        return new QueuedTaskSweeper(new QueuedTaskSweeper.Context(
                tis,
                new TaskLogRepository(jdbc),
                new EventLogRepository(jdbc),
                me,
                Duration.ofSeconds(30),
                queuedTimeout,
                new SettableClock(Instant.parse("2024-06-01T00:00:00Z"))));
    }

    private void queued(String taskId, long byJob, String queuedAt) {
        jdbc.update(
                "INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, queued_at, queued_by_job_id)"
                        + " VALUES (:dag, :run, :task, 'queued', 0, 0, " + queuedAt + ", :job)",
                Params.of("dag", DAG).and("run", runId).and("task", taskId).and("job", byJob));
    }

    private TaskInstance ti(String taskId) {
        return tis.find(TaskInstanceKey.of(DAG, runId, taskId)).orElseThrow();
    }

    private String log(String taskId, int tryNumber) {
        return new TaskLogRepository(jdbc).read(TaskInstanceKey.of(DAG, runId, taskId), tryNumber);
    }

    private List<LoggedEvent> events(String event) {
        return new EventLogRepository(jdbc)
                .recentForDag(DAG, 50).stream()
                        .filter(e -> e.event().event().equals(event))
                        .toList();
    }
}
