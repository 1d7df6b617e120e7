package dev.gust.core.state;

import static dev.gust.core.state.TaskState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskStateMachineTest {

    /**
     * The engine's table written out independently: any change to the rules must change this too.
     * Only what the scheduler, the executors and the workers do; a user's clear and mark are below.
     */
    private static final Map<TaskState, Set<TaskState>> ENGINE = Map.ofEntries(
            // none -> failed: a mapped task whose input cannot be mapped; none -> removed: an instance past
            // the end of a cleared mapped task's shorter input
            Map.entry(NONE, EnumSet.of(SCHEDULED, SKIPPED, UPSTREAM_FAILED, FAILED, REMOVED)),
            Map.entry(SCHEDULED, EnumSet.of(QUEUED, FAILED, SKIPPED)),
            Map.entry(QUEUED, EnumSet.of(RUNNING, SCHEDULED, SKIPPED)),
            Map.entry(RUNNING, EnumSet.of(SUCCESS, FAILED, UP_FOR_RETRY, UP_FOR_RESCHEDULE, SKIPPED)),
            Map.entry(RESTARTING, EnumSet.of(NONE, SKIPPED)),
            Map.entry(UP_FOR_RETRY, EnumSet.of(SCHEDULED, SKIPPED)),
            Map.entry(UP_FOR_RESCHEDULE, EnumSet.of(SCHEDULED, SKIPPED)),
            Map.entry(SUCCESS, EnumSet.noneOf(TaskState.class)),
            Map.entry(FAILED, EnumSet.noneOf(TaskState.class)),
            Map.entry(SKIPPED, EnumSet.noneOf(TaskState.class)),
            Map.entry(UPSTREAM_FAILED, EnumSet.noneOf(TaskState.class)),
            Map.entry(REMOVED, EnumSet.noneOf(TaskState.class)));

    /** A user's table: clear (running through restarting) and mark success, failed or skipped. */
    private static final Map<TaskState, Set<TaskState>> USER = Map.ofEntries(
            Map.entry(NONE, EnumSet.of(SUCCESS, FAILED, SKIPPED)),
            Map.entry(SCHEDULED, EnumSet.of(NONE, SUCCESS, FAILED, SKIPPED)),
            Map.entry(QUEUED, EnumSet.of(NONE, SUCCESS, FAILED, SKIPPED)),
            Map.entry(RUNNING, EnumSet.of(RESTARTING, SUCCESS, FAILED, SKIPPED)),
            Map.entry(RESTARTING, EnumSet.of(SUCCESS, FAILED, SKIPPED)),
            Map.entry(UP_FOR_RETRY, EnumSet.of(NONE, SUCCESS, FAILED, SKIPPED)),
            Map.entry(UP_FOR_RESCHEDULE, EnumSet.of(NONE, SUCCESS, FAILED, SKIPPED)),
            Map.entry(SUCCESS, EnumSet.of(NONE, FAILED, SKIPPED)),
            Map.entry(FAILED, EnumSet.of(NONE, SUCCESS, SKIPPED)),
            Map.entry(SKIPPED, EnumSet.of(NONE, SUCCESS, FAILED)),
            Map.entry(UPSTREAM_FAILED, EnumSet.of(NONE, SUCCESS, FAILED, SKIPPED)),
            Map.entry(REMOVED, EnumSet.of(NONE)));

    @Test
    void theEngineTableIsExactlyTheDocumentedOne() {
        assertThat(mismatches(ENGINE, TaskStateMachine::allowedForEngine)).isEmpty();
        assertThat(count(ENGINE)).isEqualTo(22);
    }

    @Test
    void theUserTableIsExactlyTheDocumentedOne() {
        assertThat(mismatches(USER, TaskStateMachine::allowedForUser)).isEmpty();
        assertThat(count(USER)).isEqualTo(40);
    }

    @Test
    void theWholeTableIsTheEnginesAndTheUsers() {
        int edges = 0;
        for (TaskState from : TaskState.values()) {
            Set<TaskState> both = EnumSet.noneOf(TaskState.class);
            both.addAll(ENGINE.get(from));
            both.addAll(USER.get(from));
            assertThat(TaskStateMachine.targets(from)).as(from.dbName()).isEqualTo(both);
            edges += both.size();
        }
        assertThat(edges).isEqualTo(51);
    }

    @Test
    void everyAllowedEdgeSaysWhy() {
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskStateMachine.targets(from)) {
                assertThat(TaskStateMachine.reason(from, to))
                        .as(from + "->" + to)
                        .get()
                        .asString()
                        .isNotBlank();
            }
        }
    }

    @Test
    void noStateChangesToItself() {
        for (TaskState state : TaskState.values()) {
            assertThat(TaskStateMachine.allowed(state, state))
                    .as(state.dbName())
                    .isFalse();
            for (TaskTransition transition : TaskTransition.values()) {
                assertThat(transition.allows(state, state))
                        .as(transition + " " + state.dbName())
                        .isFalse();
            }
        }
    }

    @Test
    void everyStateButNoneCanBeClearedAndEveryStateIsReachableFromNone() {
        Set<TaskState> reached = EnumSet.of(NONE);
        List<TaskState> frontier = new ArrayList<>(List.of(NONE));
        while (!frontier.isEmpty()) {
            for (TaskState next : TaskStateMachine.targets(frontier.removeLast())) {
                if (reached.add(next)) {
                    frontier.add(next);
                }
            }
        }
        // removed: an instance past the end of a cleared mapped task's shorter input, as Airflow's
        assertThat(reached).isEqualTo(EnumSet.allOf(TaskState.class));
        for (TaskState state : EnumSet.complementOf(EnumSet.of(NONE, RUNNING))) {
            assertThat(TaskStateMachine.allowed(state, NONE)).as(state.dbName()).isTrue();
        }
        assertThat(TaskStateMachine.allowed(RUNNING, NONE)).isFalse();
        assertThat(TaskStateMachine.allowed(RUNNING, RESTARTING)).isTrue();
    }

    @Test
    void theEngineNeverMovesAFinishedTaskInstanceOnlyAUserDoes() {
        for (TaskState finished : TaskState.FINISHED) {
            assertThat(ENGINE.get(finished)).as(finished.dbName()).isEmpty();
        }
        assertThat(TaskStateMachine.allowedForEngine(FAILED, SUCCESS)).isFalse();
        assertThat(TaskStateMachine.allowedForUser(FAILED, SUCCESS)).isTrue();
    }

    @ParameterizedTest(name = "{0} does not go {1} -> {2}")
    @CsvSource({
        "SCHEDULE, SUCCESS, SCHEDULED",
        "SCHEDULE, QUEUED, SCHEDULED",
        "QUEUE, NONE, QUEUED",
        "CLAIM, SCHEDULED, RUNNING",
        "CLAIM, NONE, RUNNING",
        "FINISH_TRY, QUEUED, SUCCESS",
        "FINISH_TRY, RESTARTING, FAILED",
        "FINISH_TRY, RUNNING, NONE",
        "FINISH_TRY, RUNNING, RESTARTING",
        "RELEASE_CLEARED, RUNNING, NONE",
        "DECIDE_WITHOUT_RUNNING, UP_FOR_RETRY, UPSTREAM_FAILED",
        "DECIDE_WITHOUT_RUNNING, NONE, FAILED",
        "TIME_OUT_RUN, SUCCESS, SKIPPED",
        "TIME_OUT_RUN, RUNNING, FAILED",
        "CLEAR, RUNNING, NONE",
        "CLEAR, RESTARTING, NONE",
        "MARK, REMOVED, SUCCESS",
        "MARK, SUCCESS, NONE",
        "MARK, FAILED, UP_FOR_RETRY",
    })
    void anIntentRefusesTheEdgesItDoesNotMake(TaskTransition intent, TaskState from, TaskState to) {
        assertThat(intent.allows(from, to)).isFalse();
        assertThatThrownBy(() -> intent.check(from, to))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("'" + from.dbName() + "' to '" + to.dbName() + "' by " + intent.label())
                .satisfies(e -> {
                    IllegalTransitionException ite = (IllegalTransitionException) e;
                    assertThat(ite.from()).isEqualTo(from);
                    assertThat(ite.to()).isEqualTo(to);
                });
    }

    @ParameterizedTest(name = "{0} -> {1} is forbidden")
    @CsvSource({
        "NONE, QUEUED",
        "NONE, RUNNING",
        "NONE, UP_FOR_RETRY",
        "NONE, UP_FOR_RESCHEDULE",
        "SCHEDULED, RUNNING",
        "SCHEDULED, UP_FOR_RETRY",
        "SCHEDULED, UPSTREAM_FAILED",
        "QUEUED, UPSTREAM_FAILED",
        "QUEUED, UP_FOR_RESCHEDULE",
        "QUEUED, UP_FOR_RETRY",
        "RUNNING, QUEUED",
        "RUNNING, SCHEDULED",
        "RUNNING, UPSTREAM_FAILED",
        "RUNNING, NONE",
        "SUCCESS, RUNNING",
        "SUCCESS, SCHEDULED",
        "SUCCESS, UP_FOR_RETRY",
        "SUCCESS, UPSTREAM_FAILED",
        "SUCCESS, REMOVED",
        "FAILED, UP_FOR_RETRY",
        "FAILED, SCHEDULED",
        "FAILED, QUEUED",
        "SKIPPED, SCHEDULED",
        "UPSTREAM_FAILED, SCHEDULED",
        "UPSTREAM_FAILED, RUNNING",
        "UP_FOR_RETRY, QUEUED",
        "UP_FOR_RETRY, RUNNING",
        "UP_FOR_RETRY, UPSTREAM_FAILED",
        "UP_FOR_RESCHEDULE, RUNNING",
        "REMOVED, SCHEDULED",
        "REMOVED, SUCCESS",
        "REMOVED, FAILED",
    })
    void forbiddenEdges(TaskState from, TaskState to) {
        assertThat(TaskStateMachine.allowed(from, to)).isFalse();
        assertThat(TaskStateMachine.reason(from, to)).isEmpty();
        for (TaskTransition intent : TaskTransition.values()) {
            assertThatThrownBy(() -> intent.check(from, to)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void theMessageSaysWhatTheIntentDoes() {
        assertThatThrownBy(() -> TaskTransition.FINISH_TRY.check(SUCCESS, RUNNING))
                .hasMessage("a task instance cannot go from 'success' to 'running' by finish_try; finish_try goes from"
                        + " {running} to {success, failed, up_for_retry, up_for_reschedule, skipped}");
    }

    @Test
    void edgesWithSeveralCausesKeepEveryReason() {
        assertThat(TaskStateMachine.reason(NONE, SKIPPED))
                .get()
                .asString()
                .contains("trigger rule")
                .contains("dagrun_timeout")
                .contains("marked by a user");
    }

    @Test
    void theGroupsOfStatesAreAirflows() {
        assertThat(TaskState.FINISHED).containsExactlyInAnyOrder(SUCCESS, FAILED, UPSTREAM_FAILED, SKIPPED, REMOVED);
        assertThat(TaskState.UNFINISHED)
                .containsExactlyInAnyOrder(
                        NONE, SCHEDULED, QUEUED, RUNNING, UP_FOR_RETRY, UP_FOR_RESCHEDULE, RESTARTING);
        assertThat(TaskState.IN_FLIGHT).containsExactlyInAnyOrder(QUEUED, RUNNING, RESTARTING);
        assertThat(TaskState.HEARTBEATING).containsExactlyInAnyOrder(RUNNING, RESTARTING);
        for (TaskState state : TaskState.values()) {
            assertThat(state.isFinished()).isEqualTo(TaskState.FINISHED.contains(state));
            assertThat(state.isInFlight()).isEqualTo(TaskState.IN_FLIGHT.contains(state));
        }
    }

    private static List<String> mismatches(
            Map<TaskState, Set<TaskState>> expected, BiPredicate<TaskState, TaskState> allowed) {
        List<String> mismatches = new ArrayList<>();
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskState.values()) {
                boolean edge = expected.get(from).contains(to);
                if (allowed.test(from, to) != edge) {
                    mismatches.add(from.dbName() + "->" + to.dbName() + " expected " + edge);
                }
            }
        }
        return mismatches;
    }

    private static int count(Map<TaskState, Set<TaskState>> table) {
        return table.values().stream().mapToInt(Set::size).sum();
    }
}
