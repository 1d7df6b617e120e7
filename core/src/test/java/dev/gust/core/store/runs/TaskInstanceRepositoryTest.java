package dev.gust.core.store.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.IllegalTransitionException;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.testing.StoredRuns;
import dev.gust.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Task instance state changes on a real PostgreSQL: each intent checks its edge, guards its UPDATE
 * with its from-state and, where a try exists, the try number; groups of states bind from the enum.
 */
class TaskInstanceRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    TaskInstanceRepository tis;

    @BeforeEach
    void oneRunningRun() {
        StoredRuns.onlyDag(db.jdbc(), "etl");
        DagRun run = StoredRuns.manualRun(db.jdbc(), "etl", "r1", 0);
        DagRunRepository runs = new DagRunRepository(db.jdbc());
        runs.transition(run.id(), DagRunState.QUEUED, DagRunState.RUNNING);
        tis = new TaskInstanceRepository(db.jdbc());
        List<NewTaskInstance> tasks = new ArrayList<>();
        for (TaskState state : TaskState.values()) {
            tasks.add(new NewTaskInstance(state.dbName(), -1, 1, "default_pool", 2, 1, "bash"));
        }
        tis.createForRun("etl", "r1", tasks);
    }

    @Test
    void aLogsTailStartsAtTheFirstChunkOfItsLastBytes() {
        TaskLogRepository logs = new TaskLogRepository(db.jdbc());
        TaskInstanceKey key = TaskInstanceKey.of("etl", "r1", "running");
        assertThat(logs.tailStart(key, 1, 100)).as("an empty log").isZero();
        logs.append(key, 1, "a".repeat(60));
        logs.append(key, 1, "b".repeat(60));
        logs.append(key, 1, "c".repeat(60));
        assertThat(logs.tailStart(key, 1, 130)).isEqualTo(1);
        assertThat(logs.tailStart(key, 1, 1000)).isZero();
        assertThat(logs.tailStart(key, 1, 10)).as("the last chunk at least").isEqualTo(2);
        assertThat(logs.readPage(key, 1, logs.tailStart(key, 1, 130), 130).text())
                .isEqualTo("b".repeat(60) + "c".repeat(60));
    }

    /** Puts the task instance named after {@code state} into it, as try {@code tryNumber}, directly. */
    private TaskInstanceKey in(TaskState state, int tryNumber) {
        TaskInstanceKey key = TaskInstanceKey.of("etl", "r1", state.dbName());
        db.jdbc().update("""
                UPDATE task_instance SET state = :state, try_number = :try, start_date = now(),
                                         last_heartbeat_at = now() - interval '1 hour'
                 WHERE task_id = :taskId""", Params.of("state", state).and("try", tryNumber).and("taskId", key.taskId()));
        return key;
    }

    private TaskInstance read(TaskInstanceKey key) {
        return tis.find(key).orElseThrow();
    }

    @Test
    void groupsOfStatesBindFromTheEnum() {
        for (TaskState state : TaskState.values()) {
            in(state, 1);
        }
        // one task instance per state, 2 pool slots each
        assertThat(tis.inFlightByDag()).isEqualTo(Map.of("etl", TaskState.IN_FLIGHT.size()));
        assertThat(tis.slotsInFlightByPool()).isEqualTo(Map.of("default_pool", 2 * TaskState.IN_FLIGHT.size()));
        TaskInstanceRepository.InFlightCounts together = tis.inFlightCounts();
        assertThat(together.byDag()).isEqualTo(tis.inFlightByDag());
        assertThat(together.slotsByPool()).isEqualTo(tis.slotsInFlightByPool());
        assertThat(together.byRunAndTask()).containsExactlyInAnyOrderElementsOf(tis.inFlightByRunAndTask());
        assertThat(together.byRunAndTask()).hasSize(TaskState.IN_FLIGHT.size());
        assertThat(tis.listZombies(Duration.ofMinutes(1)))
                .extracting(TaskInstance::state)
                .containsExactlyInAnyOrderElementsOf(TaskState.HEARTBEATING);
        List<DagRun> running = new DagRunRepository(db.jdbc()).listUnfinished();
        Map<Long, List<TaskInstanceState>> states = tis.statesOfRunsToDecide(null, running, List.of());
        assertThat(states).containsOnlyKeys(running.getFirst().id());
        assertThat(states.get(running.getFirst().id()))
                .extracting(TaskInstanceState::state)
                .containsExactlyInAnyOrder(TaskState.values());
        assertThat(tis.statesOfRunsToDecide(null, List.of(), List.of()))
                .as("a run the caller does not know is left for its next round")
                .isEmpty();
        assertThat(tis.scheduledCandidates(10, 0, null))
                .extracting(QueueCandidate::taskId, QueueCandidate::pool, QueueCandidate::poolSlots)
                .containsExactly(tuple(TaskState.SCHEDULED.dbName(), "default_pool", 2));
        assertThat(tis.scheduledCandidates(10, 1, null))
                .as("past the last page")
                .isEmpty();
    }

    @Test
    void aRoundReadsOnlyTheRunsWithSomethingToDecide() {
        List<DagRun> running = new DagRunRepository(db.jdbc()).listUnfinished();
        long runId = running.getFirst().id();
        setAll(TaskState.SUCCESS);
        in(TaskState.SCHEDULED, 0);
        in(TaskState.RUNNING, 1);
        assertThat(tis.statesOfRunsToDecide(null, running, List.of()))
                .as("every unfinished task instance is scheduled or in flight: nothing to decide")
                .isEmpty();
        assertThat(tis.statesOfRunsToDecide(null, running, List.of(runId)))
                .as("a run asked for (one that timed out) is read whatever its states")
                .containsOnlyKeys(runId);
        for (TaskState decidable : List.of(TaskState.NONE, TaskState.UP_FOR_RETRY, TaskState.UP_FOR_RESCHEDULE)) {
            TaskInstanceKey waiting = in(decidable, 1);
            assertThat(tis.statesOfRunsToDecide(null, running, List.of()))
                    .as("a task instance in %s may become ready", decidable)
                    .containsOnlyKeys(runId);
            db.jdbc()
                    .update(
                            "UPDATE task_instance SET state = :state WHERE task_id = :taskId",
                            Params.of("state", TaskState.SUCCESS).and("taskId", waiting.taskId()));
        }
        setAll(TaskState.FAILED);
        assertThat(tis.statesOfRunsToDecide(null, running, List.of()).get(runId))
                .as("all finished: the run ends")
                .hasSize(TaskState.values().length);
    }

    private void setAll(TaskState state) {
        db.jdbc().update("UPDATE task_instance SET state = :state", Params.of("state", state));
    }

    @Test
    void aHeartbeatReportsItsRunningTriesAndSkipsARowAnotherTransactionHolds() throws Exception {
        TaskInstanceKey running = in(TaskState.RUNNING, 1);
        TaskInstanceKey restarting = in(TaskState.RESTARTING, 1);
        TaskInstanceKey done = in(TaskState.SUCCESS, 1);
        List<TaskInstanceTry> tries = List.of(
                new TaskInstanceTry(running, 1),
                new TaskInstanceTry(restarting, 1),
                new TaskInstanceTry(done, 1),
                new TaskInstanceTry(running, 2));
        assertThat(tis.heartbeat(tries))
                .as("only the running try itself: not a restarting one, a finished one or a later try")
                .containsExactly(new TaskInstanceTry(running, 1));
        assertThat(read(running).lastHeartbeatAt()).isAfter(Instant.now().minusSeconds(60));
        assertThat(read(restarting).lastHeartbeatAt()).isAfter(Instant.now().minusSeconds(60));

        db.jdbc()
                .update(
                        "UPDATE task_instance SET last_heartbeat_at = now() - interval '1 hour' WHERE task_id = :taskId",
                        Params.of("taskId", running.taskId()));
        try (Connection other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement hold =
                    other.prepareStatement("SELECT 1 FROM task_instance WHERE task_id = ? FOR UPDATE")) {
                hold.setString(1, running.taskId());
                hold.executeQuery().close();
            }
            // on another thread, so that a heartbeat that waited for the row fails the test instead of hanging it
            assertThat(CompletableFuture.supplyAsync(() -> tis.heartbeat(tries)).get(5, TimeUnit.SECONDS))
                    .as("held by another transaction (a try's end being written): still running as last committed")
                    .containsExactly(new TaskInstanceTry(running, 1));
            other.rollback();
        }
        assertThat(read(running).lastHeartbeatAt())
                .as("the held row was not beaten; the next beat records it")
                .isBefore(Instant.now().minusSeconds(60));
    }

    @Test
    void aTryIsFinishedOnlyByItself() {
        TaskInstanceKey key = in(TaskState.RUNNING, 2);
        assertThat(tis.finishTry(new TaskInstanceTry(key, 1), TaskState.SUCCESS, null))
                .as("an earlier try's runner does not end a later try")
                .isFalse();
        assertThat(read(key).state()).isEqualTo(TaskState.RUNNING);

        Instant retryAt = Instant.parse("2030-01-01T00:00:00Z");
        assertThat(tis.finishTry(new TaskInstanceTry(key, 2), TaskState.UP_FOR_RETRY, retryAt))
                .isTrue();
        TaskInstance retrying = read(key);
        assertThat(retrying.state()).isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(retrying.nextRetryAt()).isEqualTo(retryAt);
        assertThat(retrying.endDate()).isNotNull();
        assertThat(retrying.duration()).isNotNull();

        assertThat(tis.schedule(List.of(key), TaskState.UP_FOR_RETRY)).containsExactly(key);
        TaskInstance scheduled = read(key);
        assertThat(scheduled.endDate()).isNull();
        assertThat(scheduled.nextRetryAt()).isNull();
    }

    @Test
    void groupedEndsMoveOnlyTheirOwnTriesAndWriteEveryTailAfterTheExistingChunks() {
        TaskInstanceKey mine = in(TaskState.RUNNING, 2);
        TaskInstanceKey other = TaskInstanceKey.of("etl", "r1", "queued");
        TaskLogRepository logs = new TaskLogRepository(db.jdbc());
        logs.append(mine, 2, "started\n");

        List<TaskInstanceTry> moved = tis.finishTries(
                TaskState.SUCCESS,
                List.of(
                        new TaskInstanceRepository.TryEnd(new TaskInstanceTry(mine, 2), "done\n"),
                        // not running: another process moved it first, yet its runner's last lines are kept
                        new TaskInstanceRepository.TryEnd(new TaskInstanceTry(other, 1), "discarded\n"),
                        new TaskInstanceRepository.TryEnd(
                                new TaskInstanceTry(TaskInstanceKey.of("etl", "r1", "success"), 1), "")));

        assertThat(moved).containsExactly(new TaskInstanceTry(mine, 2));
        TaskInstance finished = read(mine);
        assertThat(finished.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(finished.endDate()).isNotNull();
        assertThat(finished.duration()).isNotNull();
        assertThat(read(other).state()).isEqualTo(TaskState.NONE);
        assertThat(logs.read(mine, 2)).isEqualTo("started\ndone\n");
        assertThat(logs.read(other, 1)).isEqualTo("discarded\n");
        assertThat(logs.storedBytes(TaskInstanceKey.of("etl", "r1", "success"), 1))
                .as("no chunk for an empty tail")
                .isZero();
        assertThat(tis.finishTries(
                        TaskState.SUCCESS,
                        List.of(new TaskInstanceRepository.TryEnd(new TaskInstanceTry(mine, 2), ""))))
                .as("a try ends once")
                .isEmpty();
        assertThatThrownBy(() -> tis.finishTries(
                        TaskState.UP_FOR_RETRY,
                        List.of(new TaskInstanceRepository.TryEnd(new TaskInstanceTry(mine, 2), ""))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tis.finishTries(
                        TaskState.QUEUED, List.of(new TaskInstanceRepository.TryEnd(new TaskInstanceTry(mine, 2), ""))))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void aClaimToRunSaysHowMuchLogItsTryNumberHasAlready() {
        TaskInstanceKey fresh = in(TaskState.QUEUED, 0);
        TaskLogRepository logs = new TaskLogRepository(db.jdbc());
        // try 1 ran before and was not counted (a scheduler shutting down put it back)
        logs.append(fresh, 1, "12345");
        logs.append(fresh, 1, "678");

        List<TaskInstanceRepository.ClaimedTry> claimed = tis.claimToRun(10, "host", 42, 7, null);

        assertThat(claimed).hasSize(1);
        assertThat(claimed.getFirst().taskInstance().key()).isEqualTo(fresh);
        assertThat(claimed.getFirst().taskInstance().state()).isEqualTo(TaskState.RUNNING);
        assertThat(claimed.getFirst().taskInstance().tryNumber()).isEqualTo(1);
        assertThat(claimed.getFirst().storedLogBytes()).isEqualTo(8);
    }

    @Test
    void anIntentRefusesAStateItDoesNotLeave() {
        TaskInstanceKey key = in(TaskState.QUEUED, 1);
        assertThatThrownBy(() -> tis.schedule(List.of(key), TaskState.QUEUED))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("by schedule");
        assertThatThrownBy(() -> tis.markByUser(new TaskInstanceTry(key, 1), TaskState.REMOVED, TaskState.SUCCESS))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("by mark");
        assertThatThrownBy(() -> tis.decideWithoutRunning(List.of(key), TaskState.FAILED))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(read(key).state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void aMarkIsByTryAndLosesToAChangeMadeMeanwhile() {
        TaskInstanceKey key = in(TaskState.FAILED, 1);
        assertThat(tis.markByUser(new TaskInstanceTry(key, 1), TaskState.RUNNING, TaskState.SUCCESS))
                .isFalse();
        in(TaskState.FAILED, 2);
        assertThat(tis.markByUser(new TaskInstanceTry(key, 1), TaskState.FAILED, TaskState.SUCCESS))
                .isFalse();
        assertThat(tis.markByUser(new TaskInstanceTry(key, 2), TaskState.FAILED, TaskState.SUCCESS))
                .isTrue();
        assertThat(read(key).state()).isEqualTo(TaskState.SUCCESS);
    }

    @Test
    void aClearRestartsRunningOnesLeavesRestartingOnesAndResetsTheRest() {
        Map<TaskInstanceKey, Integer> all = new java.util.HashMap<>();
        for (TaskState state : TaskState.values()) {
            all.put(in(state, 1), 0);
        }
        assertThat(tis.clear(all)).isEqualTo(TaskState.values().length - 1);
        for (TaskState state : TaskState.values()) {
            TaskState now =
                    read(TaskInstanceKey.of("etl", "r1", state.dbName())).state();
            assertThat(now)
                    .as(state.dbName())
                    .isEqualTo(
                            state == TaskState.RUNNING || state == TaskState.RESTARTING
                                    ? TaskState.RESTARTING
                                    : TaskState.NONE);
        }
        TaskInstanceKey restarting = TaskInstanceKey.of("etl", "r1", "running");
        assertThat(tis.releaseCleared(new TaskInstanceTry(restarting, 0))).isFalse();
        assertThat(tis.releaseCleared(new TaskInstanceTry(restarting, 1))).isTrue();
        assertThat(read(restarting).state()).isEqualTo(TaskState.NONE);
    }

    @Test
    void aTimedOutRunSkipsTheTriesItSaw() {
        TaskInstanceKey running = in(TaskState.RUNNING, 1);
        TaskInstanceKey queued = in(TaskState.QUEUED, 3);
        assertThat(tis.skipForRunTimeout(List.of(new TaskInstanceTry(running, 1)), TaskState.RUNNING))
                .isEqualTo(1);
        assertThat(tis.skipForRunTimeout(List.of(new TaskInstanceTry(queued, 2)), TaskState.QUEUED))
                .isZero();
        assertThat(read(running).state()).isEqualTo(TaskState.SKIPPED);
        assertThat(read(queued).state()).isEqualTo(TaskState.QUEUED);
        assertThatThrownBy(() -> tis.skipForRunTimeout(List.of(new TaskInstanceTry(running, 1)), TaskState.SUCCESS))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void theSchemaAllowsExactlyTheEnumsStates() {
        assertThat(checkedStates("task_instance"))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(TaskState.values()).map(TaskState::dbName).toList());
        assertThat(checkedStates("dag_run"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(DagRunState.values())
                        .map(DagRunState::dbName)
                        .toList());
    }

    private static List<String> checkedStates(String table) {
        String check = db.jdbc()
                .queryOne("""
                SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
                 WHERE c.conrelid = CAST(:table AS regclass) AND c.contype = 'c'
                   AND pg_get_constraintdef(c.oid) LIKE '%state%'""", Params.of("table", table), row -> row.getString(1))
                .orElseThrow();
        List<String> states = new ArrayList<>();
        Matcher m = Pattern.compile("'([a-z_]+)'").matcher(check);
        while (m.find()) {
            states.add(m.group(1));
        }
        return states;
    }
}
