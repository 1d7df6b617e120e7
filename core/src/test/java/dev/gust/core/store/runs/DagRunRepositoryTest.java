package dev.gust.core.store.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.testing.StoredRuns;
import dev.gust.core.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DAG run state changes on a real PostgreSQL: checked against the transition table, then conditional. */
class DagRunRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    DagRunRepository runs;

    @BeforeEach
    void oneDag() {
        StoredRuns.onlyDag(db.jdbc(), "etl");
        runs = new DagRunRepository(db.jdbc());
    }

    private DagRun run(String runId, long day) {
        return StoredRuns.manualRun(db.jdbc(), "etl", runId, day);
    }

    @Test
    void aRunIsStartedFinishedAndRequeuedThroughTheTable() {
        DagRun run = run("r1", 0);
        assertThat(run.state()).isEqualTo(DagRunState.QUEUED);
        assertThat(runs.listUnfinished()).extracting(DagRun::runId).containsExactly("r1");

        assertThat(runs.transition(run.id(), DagRunState.QUEUED, DagRunState.RUNNING))
                .isTrue();
        DagRun running = runs.find("etl", "r1").orElseThrow();
        assertThat(running.startDate()).isNotNull();
        assertThat(running.endDate()).isNull();
        // the conditional update: a second start by a process that read queued loses
        assertThat(runs.transition(run.id(), DagRunState.QUEUED, DagRunState.RUNNING))
                .isFalse();

        assertThat(runs.transition(run.id(), DagRunState.RUNNING, DagRunState.SUCCESS))
                .isTrue();
        assertThat(runs.find("etl", "r1").orElseThrow().endDate()).isNotNull();
        assertThat(runs.listUnfinished()).isEmpty();

        assertThat(runs.requeue(run.id())).isTrue();
        DagRun requeued = runs.find("etl", "r1").orElseThrow();
        assertThat(requeued.state()).isEqualTo(DagRunState.QUEUED);
        assertThat(requeued.endDate()).isNull();
        assertThat(runs.requeue(run.id())).as("a queued run is not finished").isFalse();
    }

    @Test
    void anIllegalEdgeIsRefusedBeforeAnythingIsWritten() {
        DagRun run = run("r1", 0);
        runs.transition(run.id(), DagRunState.QUEUED, DagRunState.RUNNING);
        runs.transition(run.id(), DagRunState.RUNNING, DagRunState.FAILED);

        assertThatThrownBy(() -> runs.transition(run.id(), DagRunState.FAILED, DagRunState.RUNNING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "a DAG run cannot go from 'failed' to 'running'; from 'failed' it may go to: queued, success");
        assertThat(runs.find("etl", "r1").orElseThrow().state()).isEqualTo(DagRunState.FAILED);
    }

    @Test
    void aUserMayMarkARunFromAnyState() {
        DagRun queued = run("r1", 0);
        assertThat(runs.transition(queued.id(), DagRunState.QUEUED, DagRunState.FAILED))
                .isTrue();
        assertThat(runs.transition(queued.id(), DagRunState.FAILED, DagRunState.SUCCESS))
                .isTrue();
        assertThat(runs.transition(queued.id(), DagRunState.SUCCESS, DagRunState.QUEUED))
                .isTrue();
        assertThat(runs.find("etl", "r1").orElseThrow().state()).isEqualTo(DagRunState.QUEUED);
    }

    @Test
    void theRunBeforeIsTheLatestEarlierOneWithItsTaskStatesPassingOverManualRunsWhenAsked() {
        DagRun s1 = created("s1", 0, "scheduled");
        created("m1", 1, "manual");
        DagRun s2 = created("s2", 2, "scheduled");
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        tis.createForRun("etl", "s1", List.of(task("load", -1), task("report", 0), task("report", 1)));
        db.jdbc()
                .update(
                        "UPDATE task_instance SET state = CASE map_index WHEN 1 THEN 'failed' ELSE 'success' END"
                                + " WHERE run_id = 's1'",
                        Params.none());
        runs.transition(s1.id(), DagRunState.QUEUED, DagRunState.RUNNING);

        var beforeS1 = runs.previousRun("etl", s1.logicalDate(), true);
        assertThat(beforeS1).isEmpty();

        var beforeS2 = runs.previousRun("etl", s2.logicalDate(), true).orElseThrow();
        assertThat(beforeS2.runId()).isEqualTo("m1");
        assertThat(beforeS2.started()).as("queued: no task instances yet").isFalse();
        assertThat(beforeS2.states()).isEmpty();

        var scheduledBeforeS2 = runs.previousRun("etl", s2.logicalDate(), false).orElseThrow();
        assertThat(scheduledBeforeS2.runId()).isEqualTo("s1");
        assertThat(scheduledBeforeS2.logicalDate()).isEqualTo(s1.logicalDate());
        assertThat(scheduledBeforeS2.started()).isTrue();
        assertThat(scheduledBeforeS2.states())
                .containsOnlyKeys("load", "report")
                .containsEntry("load", List.of(TaskState.SUCCESS));
        assertThat(scheduledBeforeS2.states().get("report"))
                .containsExactlyInAnyOrder(TaskState.SUCCESS, TaskState.FAILED);

        assertThat(tis.ranBefore("etl", "load", s2.logicalDate())).isTrue();
        assertThat(tis.ranBefore("etl", "load", s1.logicalDate()))
                .as("not before its own run")
                .isFalse();
        assertThat(tis.ranBefore("etl", "other", s2.logicalDate())).isFalse();
    }

    private DagRun created(String runId, long day, String runType) {
        Instant date = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(86400 * day);
        return runs.create(new NewDagRun(
                        "etl", runId, date, date, date.plusSeconds(86400), runType, "{}", false, "h", null))
                .orElseThrow();
    }

    private static NewTaskInstance task(String taskId, int mapIndex) {
        return new NewTaskInstance(taskId, mapIndex, 0, "default_pool", 1, 1, "empty");
    }
}
