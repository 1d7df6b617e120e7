package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scheduled run creation against the database, with time from a settable clock: a daily DAG
 * whose start_date is five days back gets five runs with catchup, one (the latest interval)
 * without; creating again is idempotent; a later clock adds only what became due; a paused DAG
 * gets none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineCatchupTest {

    private static final Instant NOW = Instant.parse("2024-06-10T12:00:00Z");

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private SettableClock clock;
    private DagRunCreator creator;

    @BeforeEach
    void setUp() {
        clock = new SettableClock(NOW);
        creator = new DagRunCreator(
                new DagRunRepository(harness.db().jdbc()),
                new DagDefinitions(new DagRepository(harness.db().jdbc())),
                false,
                clock);
    }

    private void dailyDag(String dagId, boolean catchup) {
        harness.dag(dagId + ".yaml", """
                %s:
                  schedule: '@daily'
                  start_date: 2024-06-05
                  catchup: %s
                  tasks:
                    t: {operator: bash, bash_command: 'exit 0'}
                """.formatted(dagId, catchup));
    }

    @Test
    void withCatchupEveryMissedIntervalGetsOneRun() {
        dailyDag("daily", true);
        harness.unpause("daily");

        List<DagRun> created = creator.createDueRuns("daily");

        assertThat(created)
                .extracting(DagRun::logicalDate)
                .containsExactly(
                        Instant.parse("2024-06-05T00:00:00Z"),
                        Instant.parse("2024-06-06T00:00:00Z"),
                        Instant.parse("2024-06-07T00:00:00Z"),
                        Instant.parse("2024-06-08T00:00:00Z"),
                        Instant.parse("2024-06-09T00:00:00Z"));
        assertThat(created).allSatisfy(run -> {
            assertThat(run.dataIntervalStart()).isEqualTo(run.logicalDate());
            assertThat(run.dataIntervalEnd()).isEqualTo(run.logicalDate().plus(Duration.ofDays(1)));
            assertThat(run.runType()).isEqualTo("scheduled");
        });
        assertThat(creator.createDueRuns("daily")).as("creating again").isEmpty();
        assertThat(harness.runs("daily")).hasSize(5);

        clock.set(NOW.plus(Duration.ofDays(1)));
        assertThat(creator.createDueRuns("daily"))
                .extracting(DagRun::logicalDate)
                .containsExactly(Instant.parse("2024-06-10T00:00:00Z"));
        assertThat(harness.runs("daily")).hasSize(6);
    }

    @Test
    void withoutCatchupOnlyTheLatestIntervalGetsARun() {
        dailyDag("daily", false);
        harness.unpause("daily");

        assertThat(creator.createDueRuns("daily"))
                .extracting(DagRun::logicalDate)
                .containsExactly(Instant.parse("2024-06-09T00:00:00Z"));
        assertThat(creator.createDueRuns("daily")).as("creating again").isEmpty();

        // Three days without a scheduler: only the latest missed interval runs.
        clock.set(NOW.plus(Duration.ofDays(3)));
        assertThat(creator.createDueRuns("daily"))
                .extracting(DagRun::logicalDate)
                .containsExactly(Instant.parse("2024-06-12T00:00:00Z"));
        assertThat(harness.runs("daily"))
                .extracting(DagRun::logicalDate)
                .isSortedAccordingTo(Comparator.reverseOrder())
                .hasSize(2);
    }

    @Test
    void aPausedDagGetsNoRuns() {
        dailyDag("daily", true);
        assertThat(creator.createDueRuns("daily")).isEmpty();
        assertThat(harness.runs("daily")).isEmpty();
    }
}
