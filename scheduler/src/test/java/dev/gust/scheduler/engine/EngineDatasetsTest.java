package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.datasets.DatasetEvent;
import dev.gust.core.store.datasets.EventSource;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.testing.SettableClock;
import dev.gust.scheduler.loop.SchedulingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Datasets end to end on a real database: a producer task's success records an event per outlet
 * and queues it for the consumers; a scheduling round creates one {@code dataset_triggered} run
 * per satisfied condition (all of a list, {@code &}, {@code |}, with a timetable as well), whose
 * data interval spans the events it consumed, linked to it; two schedulers racing create each
 * such run exactly once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineDatasetsTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private void producer(String dagId, String uri) {
        harness.dag(dagId + ".yaml", """
                %s:
                  schedule: null
                  tasks:
                    produce:
                      operator: bash
                      bash_command: 'exit 0'
                      outlets: ['%s']
                """.formatted(dagId, uri));
    }

    private void consumer(String dagId, String schedule) {
        harness.dag(dagId + ".yaml", """
                %s:
                  start_date: 2024-01-01
                  schedule:
                %s
                  tasks:
                    consume: {operator: bash, bash_command: 'exit 0'}
                """.formatted(
                dagId, schedule.stripIndent().lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n")));
        harness.unpause(dagId);
    }

    private List<DagRun> triggeredRuns(String dagId) {
        return harness.runs(dagId).stream()
                .filter(r -> r.runType().equals("dataset_triggered"))
                .sorted((a, b) -> a.logicalDate().compareTo(b.logicalDate()))
                .toList();
    }

    private SchedulingLoop.Round round() {
        return harness.context().schedulingLoop(null).runOnce();
    }

    @Test
    void aProducersSuccessTriggersTheConsumer() throws Exception {
        producer("producer", "s3://bucket/a.csv");
        consumer("consumer", "['s3://bucket/a.csv']");
        harness.startEngine();

        DagRun produced = harness.awaitFinished(harness.trigger("producer"), Duration.ofSeconds(60));
        assertThat(produced.state()).isEqualTo(DagRunState.SUCCESS);
        List<DagRun> runs = EngineHarness.await(
                Duration.ofSeconds(60), "the consumer's run", () -> triggeredRuns("consumer"), r -> !r.isEmpty());
        DagRun consumed = harness.awaitFinished(runs.getFirst(), Duration.ofSeconds(60));

        assertThat(consumed.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(consumed.runId()).startsWith("dataset_triggered__");
        assertThat(harness.states(consumed)).containsEntry("consume", TaskState.SUCCESS);
        List<DatasetEvent> events = harness.stores().datasets().consumedBy(consumed.id());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.datasetUri()).isEqualTo("s3://bucket/a.csv");
            assertThat(e.sourceDagId()).isEqualTo("producer");
            assertThat(e.sourceRunId()).isEqualTo(produced.runId());
            assertThat(e.sourceTaskId()).isEqualTo("produce");
            assertThat(e.sourceMapIndex()).isEqualTo(-1);
        });
        // Airflow's data interval of a dataset-triggered run: from the first to the last event consumed
        assertThat(consumed.dataIntervalStart()).isEqualTo(events.getFirst().timestamp());
        assertThat(consumed.dataIntervalEnd()).isEqualTo(events.getFirst().timestamp());
        assertThat(consumed.logicalDate()).isEqualTo(events.getFirst().timestamp());
        assertThat(harness.stores().datasets().queued("consumer", null, null)).isEmpty();
        assertThat(triggeredRuns("consumer")).hasSize(1);
    }

    @Test
    void theExampleProducerTriggersBothExampleConsumers() throws Exception {
        harness.dag("example_datasets.yaml", Files.readString(Path.of("..", "dags", "example_datasets.yaml")));
        harness.unpause("example_datasets_consumer");
        harness.unpause("example_datasets_report");
        harness.startEngine();

        DagRun produced = harness.awaitFinished(harness.trigger("example_datasets_producer"), Duration.ofSeconds(60));
        assertThat(produced.state()).isEqualTo(DagRunState.SUCCESS);
        for (String consumer : List.of("example_datasets_consumer", "example_datasets_report")) {
            DagRun run = EngineHarness.await(
                            Duration.ofSeconds(60),
                            consumer + "'s dataset-triggered run",
                            () -> triggeredRuns(consumer),
                            r -> !r.isEmpty())
                    .getFirst();
            assertThat(harness.awaitFinished(run, Duration.ofSeconds(60)).state())
                    .as(consumer)
                    .isEqualTo(DagRunState.SUCCESS);
        }
        // the AND consumer consumed both updates in one run
        DagRun joined = triggeredRuns("example_datasets_consumer").getFirst();
        assertThat(harness.stores().datasets().consumedBy(joined.id()))
                .extracting(DatasetEvent::datasetUri)
                .containsExactlyInAnyOrder("s3://example-bucket/orders.csv", "s3://example-bucket/customers.csv");
    }

    @Test
    void anAndConditionWaitsForBoth() throws Exception {
        producer("make_a", "s3://a");
        producer("make_b", "s3://b");
        consumer("both", "datasets: 's3://a & s3://b'");

        harness.run("make_a");
        round();
        assertThat(triggeredRuns("both")).as("only s3://a was updated").isEmpty();
        assertThat(harness.stores().datasets().queued("both", null, null)).hasSize(1);

        harness.run("make_a");
        harness.run("make_b");
        round();
        assertThat(triggeredRuns("both")).singleElement().satisfies(run -> {
            List<DatasetEvent> events = harness.stores().datasets().consumedBy(run.id());
            assertThat(events).extracting(DatasetEvent::datasetUri).containsExactly("s3://a", "s3://a", "s3://b");
            assertThat(run.dataIntervalStart()).isEqualTo(events.getFirst().timestamp());
            assertThat(run.dataIntervalEnd()).isEqualTo(events.getLast().timestamp());
        });
        round();
        assertThat(triggeredRuns("both")).as("the events were consumed").hasSize(1);
    }

    @Test
    void anOrConditionRunsOnEither() throws Exception {
        producer("make_a", "s3://a");
        producer("make_b", "s3://b");
        consumer("either", """
                __or__:
                  - {__type__: airflow.sdk.Asset, uri: 's3://a'}
                  - {__type__: airflow.sdk.Asset, uri: 's3://b'}
                """);

        harness.run("make_a");
        round();
        harness.run("make_b");
        round();

        List<DagRun> runs = triggeredRuns("either");
        assertThat(runs).hasSize(2);
        assertThat(harness.stores().datasets().consumedBy(runs.get(0).id()))
                .extracting(DatasetEvent::datasetUri)
                .containsExactly("s3://a");
        assertThat(harness.stores().datasets().consumedBy(runs.get(1).id()))
                .extracting(DatasetEvent::datasetUri)
                .containsExactly("s3://b");
    }

    @Test
    void aPausedConsumerGetsNothingQueued() throws Exception {
        producer("make_a", "s3://a");
        consumer("sleepy", "['s3://a']");
        harness.stores().dags().setPaused("sleepy", true);

        harness.run("make_a");
        round();

        assertThat(triggeredRuns("sleepy")).isEmpty();
        assertThat(harness.stores().datasets().queued("sleepy", null, null)).isEmpty();
    }

    @Test
    void aDatasetOrTimeDagRunsOnBoth() throws Exception {
        producer("make_a", "s3://a");
        consumer("hourly_or_a", """
                datasets: ['s3://a']
                timetable:
                  __type__: airflow.timetables.trigger.CronTriggerTimetable
                  cron: '0 * * * *'
                  timezone: UTC
                """);
        Instant now = Instant.parse("2024-01-01T03:30:00Z");
        DagRunCreator creator = new DagRunCreator(
                harness.stores().dagRuns(), new DagDefinitions(harness.stores().dags()), false, new SettableClock(now));

        assertThat(creator.createDueRuns("hourly_or_a"))
                .isNotEmpty()
                .allSatisfy(run -> assertThat(run.runType()).isEqualTo("scheduled"));
        harness.run("make_a");
        round();

        assertThat(triggeredRuns("hourly_or_a")).hasSize(1);
        assertThat(harness.runs("hourly_or_a")).extracting(DagRun::runType).contains("scheduled", "dataset_triggered");
        // the time part keeps following its own runs: the dataset-triggered one does not move it
        assertThat(creator.nextDagrun("hourly_or_a").orElseThrow().end()).isAfter(now);
    }

    @Test
    void twoSchedulersCreateEachDatasetTriggeredRunExactlyOnce() throws Exception {
        int consumers = 3;
        int updates = 40;
        for (int c = 0; c < consumers; c++) {
            consumer("consumer_" + c, "['s3://shared']");
        }
        List<SchedulingLoop> loops = List.of(
                harness.context().schedulingLoop(null), harness.context().schedulingLoop(null));
        ExecutorService threads = Executors.newFixedThreadPool(3);
        AtomicBoolean producing = new AtomicBoolean(true);
        try {
            List<Future<?>> all = new ArrayList<>();
            // the two schedulers go round as fast as they can while updates keep arriving
            for (SchedulingLoop loop : loops) {
                all.add(threads.submit(() -> {
                    while (producing.get()) {
                        loop.runOnce();
                    }
                    return null;
                }));
            }
            all.add(threads.submit(() -> {
                for (int u = 0; u < updates; u++) {
                    harness.stores()
                            .datasets()
                            .recordEvents(
                                    List.of("s3://shared"),
                                    new EventSource("outside", "update_" + u, "t", -1),
                                    "{}",
                                    Instant.now());
                    Thread.sleep(u % 3 == 0 ? 0 : 15);
                }
                producing.set(false);
                return null;
            }));
            for (Future<?> f : all) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            producing.set(false);
            threads.shutdownNow();
        }
        round();
        for (int c = 0; c < consumers; c++) {
            List<DagRun> runs = triggeredRuns("consumer_" + c);
            assertThat(runs).as("runs of consumer_" + c).isNotEmpty();
            List<String> sources = new ArrayList<>();
            for (DagRun run : runs) {
                List<DatasetEvent> consumed = harness.stores().datasets().consumedBy(run.id());
                assertThat(consumed).as("events of " + run.runId()).isNotEmpty();
                consumed.forEach(e -> sources.add(e.sourceRunId()));
            }
            assertThat(sources)
                    .as("every update consumed exactly once by consumer_" + c)
                    .hasSize(updates)
                    .doesNotHaveDuplicates();
            assertThat(harness.stores().datasets().queued("consumer_" + c, null, null))
                    .isEmpty();
        }
    }
}
