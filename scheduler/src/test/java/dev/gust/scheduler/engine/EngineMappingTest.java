package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dynamic task mapping on a real engine with real bash: a mapped task becomes one task instance
 * per element (map_index 0..n-1) once its upstreams are done, over a literal list, an upstream's
 * XCom or the cross product of two arguments; an empty input skips it, a too long one fails it
 * with the reason in its log; a failing instance is retried alone; a downstream pulls the list of
 * the instances' values in map_index order.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EngineMappingTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create(Map.of("GUST_CORE__MAX_MAP_LENGTH", "5"));

    private final Path out = harness.dir().resolve("out");

    private List<TaskInstance> instances(DagRun run, String taskId) {
        return harness.taskInstances(run).stream()
                .filter(ti -> ti.taskId().equals(taskId))
                .toList();
    }

    private List<String> lines() throws Exception {
        return Files.readAllLines(out).stream().sorted().toList();
    }

    @Test
    void aLiteralListGivesOneInstancePerElementAndADownstreamPullsTheirValuesInOrder() throws Exception {
        harness.dag("lit.yaml", """
                lit:
                  schedule: null
                  tasks:
                    each:
                      operator: bash
                      partial:
                        env: {GREETING: hello}
                      expand:
                        bash_command: ["echo $GREETING-a-{{ ti.map_index }} >> %1$s; echo a", "echo $GREETING-b-{{ ti.map_index }} >> %1$s; echo b", "echo $GREETING-c-{{ ti.map_index }} >> %1$s; echo c"]
                    collect:
                      operator: bash
                      bash_command: "echo '{{ ti.xcom_pull(task_ids=\\"each\\") | join(\\",\\") }}' >> %1$s"
                      dependencies: [each]
                """.formatted(out));
        DagRun run = harness.run("lit");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(instances(run, "each"))
                .extracting(ti -> ti.key().mapIndex(), TaskInstance::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, TaskState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple(1, TaskState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple(2, TaskState.SUCCESS));
        assertThat(lines()).containsExactly("a,b,c", "hello-a-0", "hello-b-1", "hello-c-2");
    }

    @Test
    void anUpstreamBashTasksListIsMappedOverAndTwoArgumentsGiveTheirCrossProduct() throws Exception {
        harness.dag("xc.yaml", """
                xc:
                  schedule: null
                  tasks:
                    make:
                      operator: bash
                      bash_command: "echo '[\\"echo x\\", \\"echo y\\"]'"
                    each:
                      operator: bash
                      expand:
                        bash_command: +make
                      dependencies: [make]
                    pairs:
                      operator: bash
                      bash_command: 'echo "$A$B" >> %1$s'
                      expand:
                        env: [{A: "1"}, {A: "2"}]
                        append_env: [true]
                      dependencies: [make]
                    cross:
                      operator: bash
                      expand:
                        bash_command: make.output
                        cwd: ["/tmp", "/"]
                """.formatted(out));
        DagRun run = harness.run("xc");

        assertThat(harness.taskInstances(run)).extracting(TaskInstance::state).containsOnly(TaskState.SUCCESS);
        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);

        assertThat(instances(run, "each")).hasSize(2);
        assertThat(instances(run, "pairs")).hasSize(2);
        assertThat(instances(run, "cross")).hasSize(4);
        assertThat(harness.stores().taskLogs().read(new TaskInstanceKey("xc", run.runId(), "cross", 1), 1))
                .contains("x");
        assertThat(harness.stores().taskLogs().read(new TaskInstanceKey("xc", run.runId(), "cross", 2), 1))
                .contains("y");
        assertThat(lines()).containsExactly("1", "2");
    }

    @Test
    void anEmptyInputSkipsTheTaskAndATooLongOneFailsItWithTheReason() throws Exception {
        harness.dag("limits.yaml", """
                limits:
                  schedule: null
                  tasks:
                    none:
                      operator: bash
                      expand: {bash_command: []}
                    after_none:
                      operator: bash
                      bash_command: "exit 0"
                      dependencies: [none]
                    make:
                      operator: bash
                      bash_command: "echo '[1, 2, 3, 4, 5, 6]'"
                    many:
                      operator: bash
                      expand: {bash_command: +make}
                    scalar:
                      operator: bash
                      expand: {bash_command: "{{ ti.xcom_pull('word') }}"}
                      dependencies: [word]
                    word:
                      operator: bash
                      bash_command: "echo hello"
                """);
        DagRun run = harness.run("limits");

        assertThat(harness.ti(run, "none").state()).isEqualTo(TaskState.SKIPPED);
        assertThat(harness.ti(run, "after_none").state()).isEqualTo(TaskState.SKIPPED);
        assertThat(harness.ti(run, "many").state()).isEqualTo(TaskState.FAILED);
        assertThat(harness.log(run, "many", 1))
                .contains("expand.bash_command has 6 items, more than core.max_map_length (5)");
        assertThat(harness.ti(run, "scalar").state()).isEqualTo(TaskState.FAILED);
        assertThat(harness.log(run, "scalar", 1)).contains("which is a string (hello), not a list");
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
    }

    @Test
    void aFailingInstanceIsRetriedAloneAndOneInstanceCanBeClearedAlone() throws Exception {
        Path counter = harness.dir().resolve("counter");
        harness.dag("retry.yaml", """
                retry:
                  schedule: null
                  tasks:
                    each:
                      operator: bash
                      retries: 1
                      retry_delay: 1s
                      expand:
                        bash_command:
                          - "echo ok-0 >> %1$s"
                          - "n=$(cat %2$s 2>/dev/null || echo 0); echo $((n+1)) > %2$s; echo try-$n >> %1$s; [ $n -ge 1 ]"
                          - "echo ok-2 >> %1$s"
                """.formatted(out, counter));
        DagRun run = harness.run("retry");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        List<TaskInstance> each = instances(run, "each");
        assertThat(each).extracting(TaskInstance::tryNumber).containsExactly(1, 2, 1);
        assertThat(lines()).containsExactly("ok-0", "ok-2", "try-0", "try-1");

        // clearing instance 2 alone runs it alone again
        var definitions =
                new dev.gust.core.dag.serialize.DagDefinitions(harness.stores().dags());
        var cleared = new TaskInstanceClearing(
                        harness.stores().dagRuns(), harness.stores().taskInstances())
                .clear(
                        definitions.get("retry").orElseThrow().dag(),
                        new TaskInstanceClearing.Request(
                                "retry", run.runId(), TaskSelection.all(), false, null, null, false, Set.of(2)));
        assertThat(cleared.taskInstances())
                .extracting(ti -> ti.key().mapIndex())
                .containsExactly(2);
        harness.unpause("retry");
        harness.startEngine();
        assertThat(harness.awaitFinished(run, java.time.Duration.ofSeconds(30)).state())
                .isEqualTo(DagRunState.SUCCESS);
        assertThat(lines()).containsExactly("ok-0", "ok-2", "ok-2", "try-0", "try-1");
        assertThat(instances(run, "each")).extracting(TaskInstance::tryNumber).containsExactly(1, 2, 2);
    }

    @Test
    void theExampleDagRunsEveryFormOfMapping() throws Exception {
        harness.dag("example_mapping.yaml", Files.readString(Path.of("..", "dags", "example_mapping.yaml")));
        DagRun run = harness.run("example_mapping");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(instances(run, "process"))
                .extracting(TaskInstance::renderedMapIndex)
                .containsExactly("sales.csv", "users.csv", "events.csv");
        assertThat(instances(run, "cross")).hasSize(4);
        assertThat(instances(run, "kwargs")).hasSize(2);
        assertThat(harness.stores()
                        .taskLogs()
                        .read(new TaskInstanceKey("example_mapping", run.runId(), "process", 1), 1))
                .contains("processing users.csv as instance 1");
        assertThat(harness.stores()
                        .taskLogs()
                        .read(new TaskInstanceKey("example_mapping", run.runId(), "kwargs", 1), 1))
                .contains("second 2");
        assertThat(harness.log(run, "summary", 1)).contains("greetings: hello, bonjour, hola");
    }

    @Test
    void maxActiveTisPerDagrunRunsAMappedTasksInstancesOneAtATime() throws Exception {
        Path events = harness.dir().resolve("events");
        String command = EngineHarness.record(events, "start") + "; sleep 0.3; " + EngineHarness.record(events, "end");
        harness.dag("limited.yaml", """
                limited:
                  schedule: null
                  tasks:
                    each:
                      operator: bash
                      max_active_tis_per_dagrun: 1
                      bash_command: %s
                      expand:
                        env: [{A: "1"}, {A: "2"}, {A: "3"}]
                    free:
                      operator: bash
                      bash_command: %s
                      expand:
                        env: [{A: "1"}, {A: "2"}, {A: "3"}]
                """.formatted(EngineHarness.yaml(command), EngineHarness.yaml(command)));
        DagRun run = harness.run("limited");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        List<EngineHarness.Event> all = EngineHarness.events(events);
        assertThat(EngineHarness.maxOverlap(
                        all.stream().filter(e -> e.taskId().equals("each")).toList()))
                .isEqualTo(1);
        // without the limit the instances run side by side (parallelism 16)
        assertThat(EngineHarness.maxOverlap(
                        all.stream().filter(e -> e.taskId().equals("free")).toList()))
                .isGreaterThan(1);
    }

    @Test
    void tasksTestRunsTheNamedInstanceOfAMappedTaskAndAsksForOneWhenNoneIsNamed() {
        harness.dag("tt.yaml", """
                tt:
                  schedule: null
                  tasks:
                    each:
                      operator: bash
                      expand: {bash_command: ["echo first-instance", "echo second-instance-{{ ti.map_index }}"]}
                """);
        var dag = new dev.gust.core.dag.serialize.DagDefinitions(
                        harness.stores().dags())
                .get("tt")
                .orElseThrow()
                .dag();
        java.io.StringWriter printed = new java.io.StringWriter();
        var outcome = dev.gust.scheduler.executor.TaskTest.run(
                harness.config(),
                harness.db().database(),
                dag,
                "each",
                1,
                java.time.Instant.parse("2024-01-01T00:00:00Z"),
                Map.of(),
                new java.io.PrintWriter(printed, true));
        assertThat(outcome).isInstanceOf(dev.gust.scheduler.operators.OperatorOutcome.Success.class);
        assertThat(printed.toString()).contains("second-instance-1").doesNotContain("first-instance");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.gust.scheduler.executor.TaskTest.run(
                        harness.config(),
                        harness.db().database(),
                        dag,
                        "each",
                        java.time.Instant.parse("2024-01-01T00:00:00Z"),
                        Map.of(),
                        new java.io.PrintWriter(new java.io.StringWriter())))
                .hasMessage("task 'each' of DAG 'tt' is mapped (expand); name the instance to test with --map-index N"
                        + " (0 for the first)");
    }

    @Test
    void clearingAMappedTaskWithItsUpstreamRevisesItsInstancesToTheNewCount() throws Exception {
        Path list = harness.dir().resolve("list.json");
        Files.writeString(list, "[\"echo a\", \"echo b\", \"echo c\"]");
        harness.dag("revise.yaml", """
                revise:
                  schedule: null
                  tasks:
                    make: {operator: bash, bash_command: "cat %s"}
                    each: {operator: bash, expand: {bash_command: +make}}
                """.formatted(list));
        DagRun run = harness.run("revise");
        assertThat(instances(run, "each")).hasSize(3);

        var dag = new dev.gust.core.dag.serialize.DagDefinitions(
                        harness.stores().dags())
                .get("revise")
                .orElseThrow()
                .dag();
        var clearing = new TaskInstanceClearing(
                harness.stores().dagRuns(), harness.stores().taskInstances());
        harness.unpause("revise");
        harness.startEngine();

        Files.writeString(list, "[\"echo a\", \"echo b\"]");
        clearing.clear(
                dag,
                new TaskInstanceClearing.Request(
                        "revise",
                        run.runId(),
                        TaskSelection.of(List.of("make"), false, true),
                        false,
                        null,
                        null,
                        false));
        assertThat(harness.awaitFinished(run, java.time.Duration.ofSeconds(30)).state())
                .isEqualTo(DagRunState.SUCCESS);
        assertThat(instances(run, "each"))
                .extracting(TaskInstance::state)
                .containsExactly(TaskState.SUCCESS, TaskState.SUCCESS, TaskState.REMOVED);

        Files.writeString(list, "[\"echo a\", \"echo b\", \"echo c\", \"echo d\"]");
        clearing.clear(
                dag,
                new TaskInstanceClearing.Request(
                        "revise",
                        run.runId(),
                        TaskSelection.of(List.of("make"), false, true),
                        false,
                        null,
                        null,
                        false));
        assertThat(harness.awaitFinished(run, java.time.Duration.ofSeconds(30)).state())
                .isEqualTo(DagRunState.SUCCESS);
        assertThat(instances(run, "each"))
                .extracting(TaskInstance::state)
                .containsExactly(TaskState.SUCCESS, TaskState.SUCCESS, TaskState.SUCCESS, TaskState.SUCCESS);
        assertThat(harness.stores().taskLogs().read(new TaskInstanceKey("revise", run.runId(), "each", 3), 1))
                .contains("d");
    }

    @Test
    void mapIndexTemplateNamesEachInstanceWithItsArgumentsEvenAFailedOneAndABrokenTemplateOnlyLeavesItUnnamed()
            throws Exception {
        harness.dag("named.yaml", """
                named:
                  schedule: null
                  tasks:
                    each:
                      operator: bash
                      partial:
                        map_index_template: "{{ task.env.REGION }} ({{ ti.map_index }}, {{ dag_run.run_id[:6] }})"
                        bash_command: 'test "$REGION" != bad'
                      expand:
                        env: [{REGION: eu-west-1}, {REGION: bad}]
                    broken:
                      operator: bash
                      map_index_template: "{{ task.no_such_argument }}"
                      expand: {bash_command: ["exit 0"]}
                    plain:
                      operator: bash
                      bash_command: "exit 0"
                      map_index_template: "unmapped tasks are not named"
                """);
        DagRun run = harness.run("named");

        assertThat(instances(run, "each"))
                .extracting(ti -> ti.key().mapIndex(), TaskInstance::state, TaskInstance::renderedMapIndex)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, TaskState.SUCCESS, "eu-west-1 (0, manual)"),
                        org.assertj.core.groups.Tuple.tuple(1, TaskState.FAILED, "bad (1, manual)"));
        TaskInstance broken = instances(run, "broken").getFirst();
        assertThat(broken.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(broken.renderedMapIndex()).isNull();
        assertThat(harness.stores().taskLogs().read(broken.key(), 1))
                .contains("map_index_template could not be rendered")
                .contains("no_such_argument");
        assertThat(instances(run, "plain").getFirst().renderedMapIndex()).isNull();
    }

    @Test
    void anExternalTaskSensorOnAMappedTaskWaitsForAllItsInstancesAndFailsOnAFailedOne() throws Exception {
        harness.dag("upstream.yaml", """
                upstream:
                  schedule: null
                  tasks:
                    fan_ok:
                      operator: bash
                      expand: {bash_command: ["exit 0", "sleep 4", "exit 0"]}
                    fan_bad:
                      operator: bash
                      expand: {bash_command: ["exit 0", "sleep 2; exit 1"]}
                """);
        harness.dag("waiter.yaml", """
                waiter:
                  schedule: null
                  tasks:
                    wait_ok:
                      operator: external_task_sensor
                      external_dag_id: upstream
                      external_task_ids: [fan_ok]
                      poke_interval: 1
                    wait_bad:
                      operator: external_task_sensor
                      external_dag_id: upstream
                      external_task_id: fan_bad
                      failed_states: [failed]
                      poke_interval: 1
                """);
        DagRun waiter = harness.trigger("waiter");
        DagRun upstream = harness.trigger("upstream");
        harness.startEngine();

        assertThat(harness.awaitFinished(waiter, java.time.Duration.ofSeconds(60))
                        .state())
                .isEqualTo(DagRunState.FAILED);
        assertThat(harness.states(waiter))
                .containsEntry("wait_ok", TaskState.SUCCESS)
                .containsEntry("wait_bad", TaskState.FAILED);
        TaskInstance waitOk = harness.ti(waiter, "wait_ok");
        assertThat(instances(harness.reload(upstream), "fan_ok")).allSatisfy(ti -> {
            assertThat(ti.state()).isEqualTo(TaskState.SUCCESS);
            assertThat(waitOk.endDate())
                    .as("the sensor ends after every instance")
                    .isAfter(ti.endDate());
        });
        assertThat(harness.log(waiter, "wait_ok", 1)).contains("3 instances: 2 success, 1 running");
        assertThat(harness.log(waiter, "wait_bad", 1))
                .contains("The external task 'fan_bad' of DAG 'upstream' at 2024-01-01T00:00:00Z has an instance in"
                        + " failed state failed.");
    }
}
