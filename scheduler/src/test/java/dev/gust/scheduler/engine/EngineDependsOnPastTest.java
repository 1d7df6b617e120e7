package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskInstanceMarking;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Stores;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.testing.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * depends_on_past, wait_for_downstream and ignore_first_depends_on_past across runs, with a
 * real scheduler and real bash tasks: a task whose instance in the run before failed stays in
 * state none (and its run running, not deadlocked) until that instance is marked success or
 * cleared and succeeds; wait_for_downstream also waits for the run before's downstream tasks; a
 * task added to the DAG later runs at once unless ignore_first_depends_on_past is off; catchup
 * runs of a task that depends on the past run one after the other, in logical date order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineDependsOnPastTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Instant DAY1 = Instant.parse("2024-01-01T00:00:00Z");

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @Test
    void aFailedTaskHoldsBackTheSameTaskOfLaterRunsUntilItIsMarkedSuccess() throws Exception {
        Path flag = touch("fail_once");
        Path order = harness.dir().resolve("order");
        harness.dag("past.yaml", """
                past:
                  schedule: null
                  tasks:
                    load:
                      operator: bash
                      bash_command: %s
                      depends_on_past: true
                    side: {operator: bash, bash_command: 'exit 0'}
                """.formatted(EngineHarness.yaml(
                "echo $GUST_CTX_RUN_ID >> " + order + "; if [ -e " + flag + " ]; then rm " + flag + "; exit 1; fi")));
        List<DagRun> runs = triggerThreeRuns("past");

        try (SchedulerEngine engine = harness.startEngine()) {
            assertThat(harness.awaitFinished(runs.get(0), DEADLINE).state()).isEqualTo(DagRunState.FAILED);
            for (DagRun later : runs.subList(1, 3)) {
                harness.awaitTask(later, "side", DEADLINE, "side to succeed", ti -> ti.state() == TaskState.SUCCESS);
            }
            assertThat(harness.ti(runs.get(0), "load").state()).isEqualTo(TaskState.FAILED);
            for (DagRun later : runs.subList(1, 3)) {
                assertThat(harness.ti(later, "load").state())
                        .as("load of %s waits on the run before", later.runId())
                        .isEqualTo(TaskState.NONE);
                assertThat(harness.reload(later).state())
                        .as("waiting on the past is not a deadlock")
                        .isEqualTo(DagRunState.RUNNING);
            }
            assertThat(lines(order)).containsExactly(runs.get(0).runId());

            new TaskInstanceMarking(stores().dagRuns(), stores().taskInstances())
                    .mark(
                            dag("past"),
                            runs.get(0),
                            TaskSelection.of(Set.of("load"), false, false),
                            TaskState.SUCCESS,
                            false);

            for (DagRun run : runs) {
                assertThat(harness.awaitFinished(run, DEADLINE).state()).isEqualTo(DagRunState.SUCCESS);
            }
        }
        assertThat(lines(order))
                .as("run 1's load ran once; the others ran after it was marked success, in order")
                .containsExactly(
                        runs.get(0).runId(), runs.get(1).runId(), runs.get(2).runId());
    }

    @Test
    void waitForDownstreamWaitsForTheDownstreamTasksOfTheRunBefore() throws Exception {
        Path flag = touch("report_fails_once");
        Path order = harness.dir().resolve("order");
        String record = "echo \"$GUST_CTX_TASK_ID $GUST_CTX_RUN_ID\" >> " + order;
        harness.dag("wfd.yaml", """
                wfd:
                  schedule: null
                  tasks:
                    extract:
                      operator: bash
                      bash_command: %s
                      wait_for_downstream: true
                    report:
                      operator: bash
                      bash_command: %s
                      dependencies: [extract]
                """.formatted(
                        EngineHarness.yaml(record),
                        EngineHarness.yaml(record + "; if [ -e " + flag + " ]; then rm " + flag + "; exit 1; fi")));
        List<DagRun> runs = triggerThreeRuns("wfd");

        try (SchedulerEngine engine = harness.startEngine()) {
            assertThat(harness.awaitFinished(runs.get(0), DEADLINE).state()).isEqualTo(DagRunState.FAILED);
            assertThat(harness.ti(runs.get(0), "extract").state())
                    .as("the task itself succeeded in run 1")
                    .isEqualTo(TaskState.SUCCESS);
            // A few more rounds: run 2's extract still waits, on run 1's failed report.
            Thread.sleep(1500);
            assertThat(harness.states(runs.get(1))).containsEntry("extract", TaskState.NONE);
            assertThat(harness.reload(runs.get(1)).state()).isEqualTo(DagRunState.RUNNING);

            new TaskInstanceClearing(stores().dagRuns(), stores().taskInstances())
                    .clear(
                            dag("wfd"),
                            new TaskInstanceClearing.Request(
                                    "wfd",
                                    runs.get(0).runId(),
                                    TaskSelection.of(Set.of("report"), false, false),
                                    false,
                                    null,
                                    null,
                                    false));

            for (DagRun run : runs) {
                assertThat(harness.awaitFinished(run, DEADLINE).state()).isEqualTo(DagRunState.SUCCESS);
            }
        }
        String r1 = runs.get(0).runId();
        String r2 = runs.get(1).runId();
        String r3 = runs.get(2).runId();
        assertThat(lines(order))
                .containsExactly(
                        "extract " + r1,
                        "report " + r1,
                        "report " + r1,
                        "extract " + r2,
                        "report " + r2,
                        "extract " + r3,
                        "report " + r3);
    }

    @Test
    void aTaskAddedLaterRunsAtOnceUnlessIgnoreFirstDependsOnPastIsOff() throws Exception {
        harness.dag("grows.yaml", """
                grows:
                  schedule: null
                  tasks:
                    old: {operator: bash, bash_command: 'exit 0', depends_on_past: true}
                """);
        harness.unpause("grows");
        DagRunCreator creator = creator(Clock.systemUTC());
        DagRun first = find("grows", creator.trigger("grows", Map.of(), DAY1, "test"));
        try (SchedulerEngine engine = harness.startEngine()) {
            assertThat(harness.awaitFinished(first, DEADLINE).state()).isEqualTo(DagRunState.SUCCESS);
        }
        harness.dag("grows.yaml", """
                grows:
                  schedule: null
                  default_args:
                    depends_on_past: true
                  tasks:
                    old: {operator: bash, bash_command: 'exit 0'}
                    added: {operator: bash, bash_command: 'exit 0'}
                    added_strict: {operator: bash, bash_command: 'exit 0', ignore_first_depends_on_past: false}
                """);
        DagRun second = find("grows", creator.trigger("grows", Map.of(), DAY1.plus(Duration.ofDays(1)), "test"));
        try (SchedulerEngine engine = harness.startEngine()) {
            harness.awaitTask(second, "added", DEADLINE, "added to succeed", ti -> ti.state() == TaskState.SUCCESS);
            harness.awaitTask(second, "old", DEADLINE, "old to succeed", ti -> ti.state() == TaskState.SUCCESS);
            Thread.sleep(1500);
            assertThat(harness.ti(second, "added_strict").state())
                    .as("no instance in the run before, and ignore_first_depends_on_past is off")
                    .isEqualTo(TaskState.NONE);
            assertThat(harness.reload(second).state()).isEqualTo(DagRunState.RUNNING);
        }
    }

    @Test
    void catchupRunsOfATaskThatDependsOnThePastRunOneAfterTheOtherInOrder() throws Exception {
        Path events = harness.dir().resolve("events");
        harness.dag("daily.yaml", """
                daily:
                  schedule: '@daily'
                  start_date: 2024-06-05
                  end_date: 2024-06-07
                  catchup: true
                  tasks:
                    load:
                      operator: bash
                      bash_command: %s
                      depends_on_past: true
                """.formatted(EngineHarness.yaml("echo \"$GUST_CTX_RUN_ID start $(date +%s%N)\" >> "
                + events + "; sleep 0.3; echo \"$GUST_CTX_RUN_ID end $(date +%s%N)\" >> " + events)));
        harness.unpause("daily");
        List<DagRun> runs = creator(new SettableClock(Instant.parse("2024-06-10T12:00:00Z")))
                .createDueRuns("daily");
        assertThat(runs)
                .extracting(DagRun::logicalDate)
                .containsExactly(
                        Instant.parse("2024-06-05T00:00:00Z"),
                        Instant.parse("2024-06-06T00:00:00Z"),
                        Instant.parse("2024-06-07T00:00:00Z"));
        // A manual run in between does not count as the run before for a DAG with catchup.
        DagRun manual = find(
                "daily",
                creator(Clock.systemUTC()).trigger("daily", Map.of(), Instant.parse("2024-06-06T12:00:00Z"), "m"));

        try (SchedulerEngine engine = harness.startEngine()) {
            for (DagRun run : runs) {
                assertThat(harness.awaitFinished(run, DEADLINE).state()).isEqualTo(DagRunState.SUCCESS);
            }
            assertThat(harness.awaitFinished(manual, DEADLINE).state()).isEqualTo(DagRunState.SUCCESS);
        }
        List<String[]> lines = lines(events).stream().map(l -> l.split(" ")).toList();
        List<String> scheduledOrder = lines.stream()
                .filter(l -> !l[0].equals(manual.runId()))
                .map(l -> l[0] + " " + l[1])
                .toList();
        assertThat(scheduledOrder)
                .as("each scheduled run's load starts after the previous one's ended")
                .containsExactly(
                        runs.get(0).runId() + " start",
                        runs.get(0).runId() + " end",
                        runs.get(1).runId() + " start",
                        runs.get(1).runId() + " end",
                        runs.get(2).runId() + " start",
                        runs.get(2).runId() + " end");
        assertThat(nanos(lines, manual.runId(), "start"))
                .as("the manual run's load waited for the scheduled run before it")
                .isGreaterThan(nanos(lines, runs.get(1).runId(), "end"));
    }

    private static long nanos(List<String[]> lines, String runId, String event) {
        return lines.stream()
                .filter(l -> l[0].equals(runId) && l[1].equals(event))
                .mapToLong(l -> Long.parseLong(l[2]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " of " + runId));
    }

    private List<DagRun> triggerThreeRuns(String dagId) {
        harness.unpause(dagId);
        DagRunCreator creator = creator(Clock.systemUTC());
        return List.of(0, 1, 2).stream()
                .map(i -> find(dagId, creator.trigger(dagId, Map.of(), DAY1.plus(Duration.ofDays(i)), "test")))
                .toList();
    }

    private DagRunCreator creator(Clock clock) {
        return new DagRunCreator(stores().dagRuns(), new DagDefinitions(stores().dags()), false, clock);
    }

    private DagRun find(String dagId, String runId) {
        return stores().dagRuns().find(dagId, runId).orElseThrow();
    }

    private Dag dag(String dagId) {
        return new DagDefinitions(stores().dags())
                .current(List.of(dagId))
                .get(dagId)
                .dag();
    }

    private Stores stores() {
        return harness.stores();
    }

    private Path touch(String name) throws IOException {
        return Files.createFile(harness.dir().resolve(name));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file)
                ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }
}
