package dev.gust.core.state;

import static dev.gust.core.state.TaskState.FAILED;
import static dev.gust.core.state.TaskState.NONE;
import static dev.gust.core.state.TaskState.RUNNING;
import static dev.gust.core.state.TaskState.SKIPPED;
import static dev.gust.core.state.TaskState.SUCCESS;
import static dev.gust.core.state.TaskState.UPSTREAM_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DagBuilder;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TaskSpecBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Airflow's PrevDagrunDep case by case: the states of the run before decide whether a task may run. */
class PastRunDependencyTest {

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final BooleanSupplier NEVER_ASKED = () -> fail("ranBefore asked");

    // load depends on the past; report is its downstream, audit an unrelated task.
    private final TaskSpec load = new TaskSpecBuilder("load").dependsOnPast().build();
    private final TaskSpec loadWaiting =
            new TaskSpecBuilder("load").waitForDownstream().build();
    private final TaskSpec loadStrictFirst = new TaskSpecBuilder("load")
            .dependsOnPast()
            .ignoreFirstDependsOnPast(false)
            .build();

    private static Dag dag(TaskSpec load) {
        return new DagBuilder(load, new TaskSpecBuilder("report", "load").build(), new TaskSpecBuilder("audit").build())
                .schedule(new Schedule.Cron("0 0 * * *", "@daily"), START, null, ZoneOffset.UTC, true)
                .build();
    }

    private static Optional<PastRunDependency.PreviousRun> before(Map<String, List<TaskState>> states) {
        return Optional.of(new PastRunDependency.PreviousRun("r1", START, true, states));
    }

    private static boolean met(TaskSpec task, Optional<PastRunDependency.PreviousRun> previous, BooleanSupplier ran) {
        return PastRunDependency.check(dag(task), task, true, previous, ran).met();
    }

    @Test
    void theFirstRunOfADagHasNoPastToWaitFor() {
        assertThat(met(load, Optional.empty(), NEVER_ASKED)).isTrue();
        assertThat(met(loadStrictFirst, Optional.empty(), NEVER_ASKED)).isTrue();
    }

    @Test
    void runsWhenEveryInstanceOfTheTaskInTheRunBeforeSucceededOrWasSkipped() {
        assertThat(met(load, before(Map.of("load", List.of(SUCCESS))), NEVER_ASKED))
                .isTrue();
        assertThat(met(load, before(Map.of("load", List.of(SKIPPED))), NEVER_ASKED))
                .isTrue();
        assertThat(met(load, before(Map.of("load", List.of(SUCCESS, SKIPPED))), NEVER_ASKED))
                .as("mapped instances")
                .isTrue();
    }

    @Test
    void waitsWhileAnInstanceInTheRunBeforeFailedOrIsUnfinished() {
        for (TaskState state : List.of(FAILED, UPSTREAM_FAILED, RUNNING, NONE)) {
            assertThat(met(load, before(Map.of("load", List.of(state))), NEVER_ASKED))
                    .as(state.dbName())
                    .isFalse();
        }
        PastRunDependency.Verdict verdict = PastRunDependency.check(
                dag(load), load, true, before(Map.of("load", List.of(SUCCESS, FAILED))), NEVER_ASKED);
        assertThat(verdict.met()).isFalse();
        assertThat(verdict.reason()).contains("1 task instance(s) of the previous run r1");
    }

    @Test
    void waitsWhileTheRunBeforeHasNotStarted() {
        var queued = Optional.of(new PastRunDependency.PreviousRun("r1", START, false, Map.of()));
        assertThat(met(load, queued, NEVER_ASKED)).isFalse();
    }

    @Test
    void aTaskAddedLaterIgnoresItsFirstPastOnlyWithIgnoreFirstDependsOnPast() {
        var withoutTheTask = before(Map.of("audit", List.of(SUCCESS)));
        assertThat(met(load, withoutTheTask, () -> false))
                .as("never ran before")
                .isTrue();
        assertThat(met(load, withoutTheTask, () -> true))
                .as("ran in an earlier run, but not in the last one")
                .isFalse();
        assertThat(met(loadStrictFirst, withoutTheTask, NEVER_ASKED)).isFalse();
    }

    @Test
    void waitForDownstreamAlsoWaitsForTheDirectDownstreamTasksOfTheRunBefore() {
        assertThat(loadWaiting.dependsOnPast()).isTrue();
        assertThat(met(loadWaiting, before(Map.of("load", List.of(SUCCESS), "report", List.of(RUNNING))), NEVER_ASKED))
                .isFalse();
        assertThat(met(loadWaiting, before(Map.of("load", List.of(SUCCESS), "report", List.of(SKIPPED))), NEVER_ASKED))
                .isTrue();
        assertThat(met(load, before(Map.of("load", List.of(SUCCESS), "report", List.of(RUNNING))), NEVER_ASKED))
                .as("depends_on_past alone does not look downstream")
                .isTrue();
        assertThat(met(loadWaiting, before(Map.of("load", List.of(SUCCESS), "audit", List.of(FAILED))), NEVER_ASKED))
                .as("not downstream of load")
                .isTrue();
    }

    @Test
    void withCatchupARunBeforeTheStartDateDoesNotCount() {
        var early = Optional.of(new PastRunDependency.PreviousRun(
                "manual_early", START.minusSeconds(86_400), true, Map.of("load", List.of(FAILED))));
        assertThat(met(load, early, NEVER_ASKED)).isTrue();
        assertThat(PastRunDependency.check(dag(load), load, false, early, NEVER_ASKED)
                        .met())
                .as("without catchup")
                .isFalse();
    }

    @Test
    void manualRunsCountAsTheRunBeforeOnlyWithoutCatchup() {
        assertThat(PastRunDependency.manualRunsCount(true)).isFalse();
        assertThat(PastRunDependency.manualRunsCount(false)).isTrue();
    }

    @Test
    void aTaskWithoutDependsOnPastIsNeverHeldBack() {
        TaskSpec free = new TaskSpecBuilder("load").build();
        assertThat(met(free, before(Map.of("load", List.of(FAILED))), NEVER_ASKED))
                .isTrue();
    }
}
