package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.events.LoggedEvent;
import dev.gust.core.store.runs.DagRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Airflow 2.9's {@code max_consecutive_failed_dag_runs} with a whole scheduler: the DAG is paused
 * once its latest N runs all failed (not before, and not when a success breaks the streak), and
 * the audit log says the scheduler did it and why.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EngineFailedRunsPauseTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private DagRun trigger(String dagId, String day, int exit) {
        String runId = new DagRunCreator(
                        harness.stores().dagRuns(),
                        new DagDefinitions(harness.stores().dags()),
                        false,
                        Clock.systemUTC())
                .trigger(dagId, Map.of("exit", exit), Instant.parse(day + "T00:00:00Z"), null);
        return harness.stores().dagRuns().find(dagId, runId).orElseThrow();
    }

    private boolean paused(String dagId) {
        return harness.stores().dags().find(dagId).orElseThrow().paused();
    }

    private List<LoggedEvent> pauses(String dagId) {
        return harness.stores().events().recentForDag(dagId, 20).stream()
                .filter(e -> e.event().event().equals("pause"))
                .toList();
    }

    @Test
    void theDagIsPausedAfterNFailedRunsInARowAndTheAuditLogSaysWhy() throws Exception {
        harness.dag("flaky.yaml", """
                flaky:
                  schedule: null
                  max_consecutive_failed_dag_runs: 2
                  tasks:
                    work: {operator: bash, bash_command: 'exit {{ dag_run.conf.exit }}'}
                """);
        harness.unpause("flaky");
        harness.startEngine();

        DagRun first = harness.awaitFinished(trigger("flaky", "2024-01-01", 1), DEADLINE);
        assertThat(first.state()).isEqualTo(DagRunState.FAILED);
        DagRun success = harness.awaitFinished(trigger("flaky", "2024-01-02", 0), DEADLINE);
        assertThat(success.state()).isEqualTo(DagRunState.SUCCESS);
        DagRun afterSuccess = harness.awaitFinished(trigger("flaky", "2024-01-03", 1), DEADLINE);
        assertThat(afterSuccess.state()).isEqualTo(DagRunState.FAILED);
        // two failures, but a success between them: the latest two runs are not all failed
        assertThat(paused("flaky")).isFalse();
        assertThat(pauses("flaky")).isEmpty();

        DagRun second = harness.awaitFinished(trigger("flaky", "2024-01-04", 1), DEADLINE);
        assertThat(second.state()).isEqualTo(DagRunState.FAILED);
        EngineHarness.await(DEADLINE, "flaky to be paused", () -> paused("flaky"), p -> p);
        assertThat(pauses("flaky")).singleElement().satisfies(e -> {
            assertThat(e.event().owner()).isEqualTo("scheduler");
            assertThat(e.event().extra())
                    .isEqualTo("paused it because its last 2 DAG runs failed (max_consecutive_failed_dag_runs: 2);"
                            + " unpause it once the cause is fixed");
        });
    }

    @Test
    void withoutTheSettingFailuresNeverPause() throws Exception {
        harness.dag("stubborn.yaml", """
                stubborn:
                  schedule: null
                  tasks:
                    work: {operator: bash, bash_command: 'exit 1'}
                """);
        harness.unpause("stubborn");
        harness.startEngine();
        for (String day : List.of("2024-01-01", "2024-01-02", "2024-01-03")) {
            assertThat(harness.awaitFinished(trigger("stubborn", day, 1), DEADLINE)
                            .state())
                    .isEqualTo(DagRunState.FAILED);
        }
        assertThat(paused("stubborn")).isFalse();
        assertThat(pauses("stubborn")).isEmpty();
    }
}
