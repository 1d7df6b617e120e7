package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.store.callbacks.CallbackRequest;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.sla.SlaMiss;
import dev.gust.scheduler.sla.SlaChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SLAs and deadlines on a real database and scheduler: schedulers checking at the same moment
 * record each miss once and request the DAG's {@code sla_miss_callback} once for the batch, which
 * a scheduler then delivers once (an HTTP sink run by the test, and a Python function called with
 * Airflow's five arguments); manual runs have no SLA; a run past its Airflow 3 deadline gets one
 * deadline miss and its callback once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EngineSlaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private final CallbackSink sink = new CallbackSink();

    @BeforeAll
    static void pythonIsInstalled() {
        EngineHarness.requirePython("python3");
    }

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void racingSchedulersRecordEachMissOnceAndItsCallbackRunsOnce() throws Exception {
        Path pythonOut = harness.dir().resolve("sla.txt");
        harness.dagFolderFile("alerting/sla.py", """
                def sla_missed(dag, task_list, blocking_task_list, slas, blocking_tis):
                    with open(%s, "a") as f:
                        f.write(dag.dag_id + "|" + ",".join(sorted(s.task_id for s in slas)) + "|"
                                + str(len(blocking_tis)) + "|" + task_list.replace("\\n", ";") + "\\n")
                """.formatted(JSON.writeValueAsString(pythonOut.toString())));
        harness.dag("sla_race.yaml", """
                sla_race:
                  schedule: "@daily"
                  start_date: 2024-01-01
                  catchup: false
                  default_args: {sla_secs: 1}
                  sla_miss_callback:
                    - http: {url: "%s", json: {dag: "{{ dag.dag_id }}", tasks: "{{ task_list }}"}}
                    - callback: alerting.sla.sla_missed
                  tasks:
                    first: {operator: bash, bash_command: echo one}
                    second: {operator: bash, bash_command: echo two, dependencies: [first]}
                    no_sla: {operator: empty, sla: null}
                """.formatted(sink.url("/sla")));
        harness.unpause("sla_race");
        List<DagRun> scheduled = harness.context().runCreator().createDueRuns("sla_race");
        assertThat(scheduled).hasSize(1);
        DagRun run = scheduled.getFirst();
        DagRun manual = harness.trigger("sla_race");

        // four schedulers check at the same moment: the misses are recorded once between them
        int checkers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(checkers);
        List<Future<SlaChecker.Result>> results = new ArrayList<>();
        for (int i = 0; i < checkers; i++) {
            SlaChecker checker = harness.context().slaChecker();
            results.add(pool.submit(() -> {
                start.await();
                return checker.check();
            }));
        }
        start.countDown();
        List<SlaMiss> recorded = new ArrayList<>();
        int requested = 0;
        for (Future<SlaChecker.Result> result : results) {
            recorded.addAll(result.get(60, TimeUnit.SECONDS).misses());
            requested += result.get().callbacksRequested();
        }
        pool.shutdown();
        assertThat(recorded).extracting(SlaMiss::taskId).containsExactlyInAnyOrder("first", "second");
        assertThat(requested).isEqualTo(2);
        List<SlaMiss> stored = harness.stores().slaMisses().list("sla_race", 50, 0);
        assertThat(stored).hasSize(2).allSatisfy(miss -> {
            assertThat(miss.runId()).isEqualTo(run.runId());
            assertThat(miss.executionDate()).isEqualTo(run.logicalDate());
            assertThat(miss.expectedBy()).isEqualTo(run.dataIntervalEnd().plusSeconds(1));
            assertThat(miss.notificationSent()).isTrue();
        });
        // a manual run has no SLA (Airflow checks scheduled runs only)
        assertThat(stored).noneMatch(miss -> miss.runId().equals(manual.runId()));

        // (blocking_tis is empty: no scheduling loop has created the run's task instances yet)
        // a scheduler delivers the batch's callbacks, once each; its own checks record nothing more
        harness.startEngine();
        List<CallbackRequest> requests = EngineHarness.await(
                DEADLINE,
                "the SLA miss callbacks to end",
                () -> harness.stores().callbackRequests().listForRun("sla_race", run.runId()).stream()
                        .filter(r -> r.event() == CallbackEvent.SLA_MISS)
                        .toList(),
                list -> list.size() == 2
                        && list.stream()
                                .allMatch(r -> !r.state().equals("pending")
                                        && !r.state().equals("running")));
        assertThat(requests)
                .allSatisfy(r -> assertThat(r.state()).as(r.toString()).isEqualTo("success"));
        assertThat(sink.requests("/sla")).singleElement().satisfies(r -> {
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("dag").asText()).isEqualTo("sla_race");
            assertThat(body.get("tasks").asText())
                    .contains("first on " + run.logicalDate())
                    .contains("second on " + run.logicalDate());
        });
        assertThat(Files.readAllLines(pythonOut))
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("sla_race|first,second|0|"));
        harness.awaitFinished(run, DEADLINE);
        Thread.sleep(11_000); // one more SLA check of the engine, after the tasks succeeded late
        assertThat(harness.stores().slaMisses().count("sla_race")).isEqualTo(2);
        assertThat(sink.requests("/sla")).hasSize(1);
    }

    @Test
    void aRunPastItsDeadlineCallsBackOnce() throws Exception {
        Path marks = harness.dir().resolve("deadline.txt");
        harness.dag("late.yaml", """
                late:
                  schedule: null
                  deadline:
                    reference: DeadlineReference.DAGRUN_QUEUED_AT
                    interval: 1s
                    callback: {bash_command: "echo late {{ dag.dag_id }} {{ deadline.reference }} >> %1$s"}
                  tasks:
                    slow: {operator: bash, bash_command: sleep 4}
                on_time:
                  schedule: null
                  deadline: {reference: DAGRUN_QUEUED_AT, interval: 1h, callback: {bash_command: "echo never >> %1$s"}}
                  tasks:
                    quick: {operator: bash, bash_command: echo quick}
                """.formatted(marks));
        DagRun late = harness.trigger("late");
        DagRun onTime = harness.trigger("on_time");
        harness.startEngine();
        harness.awaitFinished(late, DEADLINE);
        harness.awaitFinished(onTime, DEADLINE);
        EngineHarness.await(
                DEADLINE,
                "the deadline's callback to end",
                () -> harness.stores().callbackRequests().listForRun("late", late.runId()).stream()
                        .filter(r ->
                                r.event() == CallbackEvent.DEADLINE && r.state().equals("success"))
                        .toList(),
                list -> list.size() == 1);
        assertThat(harness.stores().slaMisses().list("late", 10, 0))
                .singleElement()
                .satisfies(miss -> {
                    assertThat(miss.isDeadline()).isTrue();
                    assertThat(miss.taskId()).isEmpty();
                    assertThat(miss.notificationSent()).isTrue();
                });
        assertThat(Files.readAllLines(marks)).containsExactly("late late DAGRUN_QUEUED_AT");
        assertThat(harness.context().slaChecker().check().misses()).isEmpty();
        assertThat(harness.stores().slaMisses().count("on_time")).isZero();
    }
}
