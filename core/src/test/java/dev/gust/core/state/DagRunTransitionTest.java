package dev.gust.core.state;

import static dev.gust.core.state.DagRunState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DagRunTransitionTest {

    /** The table written out independently: the loop starts and finishes runs, users mark and clear them. */
    private static final Map<DagRunState, Set<DagRunState>> EXPECTED = Map.of(
            QUEUED, EnumSet.of(RUNNING, SUCCESS, FAILED),
            RUNNING, EnumSet.of(SUCCESS, FAILED, QUEUED),
            SUCCESS, EnumSet.of(FAILED, QUEUED),
            FAILED, EnumSet.of(SUCCESS, QUEUED));

    @Test
    void theTableIsExactlyTheDocumentedOne() {
        for (DagRunState from : DagRunState.values()) {
            for (DagRunState to : DagRunState.values()) {
                assertThat(DagRunTransition.allowed(from, to))
                        .as(from + "->" + to)
                        .isEqualTo(EXPECTED.get(from).contains(to));
            }
        }
    }

    @Test
    void onlyTheLoopStartsARunAndOnlyFromQueued() {
        for (DagRunState from : DagRunState.values()) {
            for (DagRunTransition transition : DagRunTransition.values()) {
                assertThat(transition.allows(from, RUNNING))
                        .as(transition + " " + from)
                        .isEqualTo(transition == DagRunTransition.START && from == QUEUED);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1} is refused")
    @CsvSource({"SUCCESS, RUNNING", "FAILED, RUNNING", "RUNNING, RUNNING", "QUEUED, QUEUED"})
    void illegalEdgesAreRefused(DagRunState from, DagRunState to) {
        assertThatThrownBy(() -> DagRunTransition.check(from, to))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("a DAG run cannot go from '" + from.dbName() + "' to '" + to.dbName() + "'");
    }

    @Test
    void theGroupsOfStatesSplitTheStates() {
        assertThat(DagRunState.UNFINISHED).containsExactlyInAnyOrder(QUEUED, RUNNING);
        assertThat(DagRunState.FINISHED).containsExactlyInAnyOrder(SUCCESS, FAILED);
        assertThat(DagRunTransition.REQUEUE.from()).isEqualTo(DagRunState.FINISHED);
    }
}
