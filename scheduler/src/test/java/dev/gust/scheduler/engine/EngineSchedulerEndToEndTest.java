package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole scheduler, unattended: an unpaused daily DAG whose latest interval has ended gets its
 * run from its Quartz trigger, and the run completes with the interval's {@code ds} in the
 * command. The 30 s bound is a functional deadline (the trigger must fire at all), not a speed
 * check.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EngineSchedulerEndToEndTest {

    @Test
    void quartzCreatesTheDueRunAndTheSchedulerCompletesIt() throws Exception {
        try (EngineHarness harness = EngineHarness.create()) {
            Path out = harness.dir().resolve("out");
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            harness.dag(
                    "nightly.yaml", """
                    nightly:
                      schedule: '@daily'
                      start_date: %s
                      catchup: false
                      tasks:
                        extract: {operator: bash, bash_command: %s}
                        load: {operator: bash, bash_command: 'exit 0', dependencies: [extract]}
                    """.formatted(today.minusDays(3), EngineHarness.yaml("echo {{ ds }} >> " + out)));
            harness.dag("others.yaml", """
                    paused_daily:
                      schedule: '@daily'
                      start_date: %s
                      catchup: false
                      tasks:
                        t: {operator: bash, bash_command: 'exit 0'}
                    unscheduled:
                      schedule: null
                      tasks:
                        t: {operator: bash, bash_command: 'exit 0'}
                    """.formatted(today.minusDays(3)));
            harness.unpause("nightly");
            harness.startEngine();

            DagRun run = EngineHarness.await(
                            Duration.ofSeconds(30),
                            "a finished scheduled run of nightly",
                            () -> harness.runs("nightly"),
                            runs -> runs.stream().anyMatch(r -> r.state().isFinished()))
                    .getFirst();

            List<DagRun> runs = harness.runs("nightly");
            assertThat(runs).as("runs without catchup").hasSize(1);
            String yesterday = today.minusDays(1).format(DateTimeFormatter.ISO_LOCAL_DATE);
            assertThat(run.runType()).isEqualTo("scheduled");
            assertThat(run.logicalDate())
                    .isEqualTo(today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
            assertThat(harness.states(run).values()).containsOnly(TaskState.SUCCESS);
            assertThat(Files.readAllLines(out)).containsExactly(yesterday);

            // Airflow's next_dagrun fields, recorded on the DAG's row for the UI and the API
            var dags = new dev.gust.core.store.dags.DagRepository(harness.db().jdbc());
            Instant todayStart = today.atStartOfDay(ZoneOffset.UTC).toInstant();
            var expected = new dev.gust.core.schedule.DataInterval(todayStart, todayStart.plus(Duration.ofDays(1)));
            assertThat(EngineHarness.await(
                            Duration.ofSeconds(10),
                            "nightly's next run recorded",
                            () -> dags.find("nightly").orElseThrow().nextDagrun(),
                            expected::equals))
                    .isEqualTo(expected);
            // a paused DAG shows the run it would have next (none was created: catch-up is off)
            assertThat(EngineHarness.await(
                            Duration.ofSeconds(10),
                            "paused_daily's next run recorded",
                            () -> dags.find("paused_daily").orElseThrow().nextDagrun(),
                            java.util.Objects::nonNull))
                    .isEqualTo(
                            new dev.gust.core.schedule.DataInterval(todayStart.minus(Duration.ofDays(1)), todayStart));
            assertThat(dags.find("unscheduled").orElseThrow().nextDagrun()).isNull();
        }
    }
}
