package dev.gust.core.state;

import static dev.gust.core.state.TaskState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskStateMachineTest {

    /** The whole table written out independently: any change to the rules must change this too. */
    private static final Map<TaskState, Set<TaskState>> EXPECTED = Map.ofEntries(
            Map.entry(NONE, EnumSet.of(SCHEDULED, UPSTREAM_FAILED, SKIPPED, REMOVED, SUCCESS, FAILED)),
            Map.entry(SCHEDULED, EnumSet.of(QUEUED, UPSTREAM_FAILED, SKIPPED, REMOVED, NONE, SUCCESS, FAILED)),
            Map.entry(QUEUED, EnumSet.of(RUNNING, SCHEDULED, FAILED, UP_FOR_RETRY, NONE, REMOVED, SUCCESS, SKIPPED)),
            Map.entry(RUNNING, EnumSet.of(SUCCESS, FAILED, UP_FOR_RETRY, UP_FOR_RESCHEDULE, SKIPPED, NONE, REMOVED,
                    RESTARTING)),
            Map.entry(RESTARTING, EnumSet.of(NONE, REMOVED, SUCCESS, FAILED, SKIPPED)),
            Map.entry(UP_FOR_RETRY, EnumSet.of(SCHEDULED, UPSTREAM_FAILED, SKIPPED, REMOVED, NONE, SUCCESS, FAILED)),
            Map.entry(UP_FOR_RESCHEDULE, EnumSet.of(SCHEDULED, UPSTREAM_FAILED, SKIPPED, REMOVED, NONE, SUCCESS, FAILED)),
            Map.entry(SUCCESS, EnumSet.of(NONE, REMOVED, FAILED, SKIPPED)),
            Map.entry(FAILED, EnumSet.of(NONE, REMOVED, SUCCESS, SKIPPED)),
            Map.entry(SKIPPED, EnumSet.of(NONE, REMOVED, SUCCESS, FAILED)),
            Map.entry(UPSTREAM_FAILED, EnumSet.of(NONE, REMOVED, SUCCESS, FAILED, SKIPPED)),
            Map.entry(REMOVED, EnumSet.of(NONE)));

    @Test
    void theTableIsExactlyTheDocumentedOne() {
        List<String> mismatches = new ArrayList<>();
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskState.values()) {
                boolean expected = EXPECTED.get(from).contains(to);
                if (TaskStateMachine.allowed(from, to) != expected) {
                    mismatches.add(from.dbName() + "->" + to.dbName() + " expected " + expected);
                }
            }
            assertThat(TaskStateMachine.targets(from)).isEqualTo(EXPECTED.get(from));
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyAllowedEdgeSaysWhyAndPassesCheck() {
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskStateMachine.targets(from)) {
                assertThat(TaskStateMachine.reason(from, to)).as(from + "->" + to).get().asString().isNotBlank();
                TaskStateMachine.check(from, to);
            }
        }
    }

    @Test
    void noStateChangesToItself() {
        for (TaskState state : TaskState.values()) {
            assertThat(TaskStateMachine.allowed(state, state)).as(state.dbName()).isFalse();
        }
    }

    @Test
    void everyStateCanBeClearedAndEveryStateIsReachableFromNone() {
        Set<TaskState> reached = EnumSet.of(NONE);
        List<TaskState> frontier = new ArrayList<>(List.of(NONE));
        while (!frontier.isEmpty()) {
            for (TaskState next : TaskStateMachine.targets(frontier.removeLast())) {
                if (reached.add(next)) {
                    frontier.add(next);
                }
            }
        }
        assertThat(reached).containsExactlyInAnyOrder(TaskState.values());
        for (TaskState state : EnumSet.complementOf(EnumSet.of(NONE))) {
            assertThat(TaskStateMachine.allowed(state, NONE)).as(state.dbName()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} -> {1} is forbidden")
    @CsvSource({
            "NONE, QUEUED", "NONE, RUNNING", "NONE, UP_FOR_RETRY", "NONE, UP_FOR_RESCHEDULE",
            "SCHEDULED, RUNNING", "SCHEDULED, UP_FOR_RETRY",
            "QUEUED, UPSTREAM_FAILED", "QUEUED, UP_FOR_RESCHEDULE",
            "RUNNING, QUEUED", "RUNNING, SCHEDULED", "RUNNING, UPSTREAM_FAILED",
            "SUCCESS, RUNNING", "SUCCESS, SCHEDULED", "SUCCESS, UP_FOR_RETRY", "SUCCESS, UPSTREAM_FAILED",
            "FAILED, UP_FOR_RETRY", "FAILED, SCHEDULED", "FAILED, QUEUED",
            "SKIPPED, SCHEDULED", "UPSTREAM_FAILED, SCHEDULED", "UPSTREAM_FAILED, RUNNING",
            "UP_FOR_RETRY, QUEUED", "UP_FOR_RETRY, RUNNING", "UP_FOR_RESCHEDULE, RUNNING",
            "REMOVED, SCHEDULED", "REMOVED, SUCCESS", "REMOVED, FAILED",
    })
    void forbiddenEdges(TaskState from, TaskState to) {
        assertThat(TaskStateMachine.allowed(from, to)).isFalse();
        assertThat(TaskStateMachine.reason(from, to)).isEmpty();
        assertThatThrownBy(() -> TaskStateMachine.check(from, to))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("'" + from.dbName() + "' to '" + to.dbName() + "'")
                .satisfies(e -> {
                    IllegalTransitionException ite = (IllegalTransitionException) e;
                    assertThat(ite.from()).isEqualTo(from);
                    assertThat(ite.to()).isEqualTo(to);
                });
    }

    @Test
    void theMessageListsWhereTheStateMayGo() {
        assertThatThrownBy(() -> TaskStateMachine.check(SUCCESS, RUNNING))
                .hasMessage("a task instance cannot go from 'success' to 'running'; from 'success' it may go to: "
                        + "none, failed, skipped, removed");
    }

    @Test
    void edgesWithSeveralCausesKeepEveryReason() {
        assertThat(TaskStateMachine.reason(NONE, SKIPPED)).get().asString()
                .contains("trigger rule").contains("marked skipped");
    }
}
