package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Templates rendered by the engine for real commands: Airflow's context ({@code ds},
 * {@code run_id}), params overridden by the run's conf, an XCom pushed by one bash task's last
 * stdout line and pulled by the next; and a template error, which fails only its task (with the
 * reason in the log) while the other tasks go on per their trigger rules.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTemplatesTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @Test
    void contextAndParamsOverriddenByConfReachTheCommand() throws Exception {
        Path out = harness.dir().resolve("out");
        harness.dag("templated.yaml", """
                templated:
                  schedule: null
                  params:
                    x: from_params
                    y: kept
                  tasks:
                    echo:
                      operator: bash
                      bash_command: %s
                """.formatted(EngineHarness.yaml(
                "echo \"{{ ds }} {{ ds_nodash }} {{ params.x }} {{ params.y }} {{ run_id }}\" > " + out)));
        DagRun run = harness.run("templated", Map.of("x", "from_conf"), Instant.parse("2024-03-05T10:15:00Z"));

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(Files.readString(out).strip()).isEqualTo("2024-03-05 20240305 from_conf kept " + run.runId());
    }

    @Test
    void aTasksOwnParamsMergeOverTheDagsAndTheRunsConfOverBoth() throws Exception {
        Path out = harness.dir().resolve("out");
        harness.dag("task_params.yaml", """
                task_params:
                  schedule: null
                  params:
                    x: dag_x
                    y: dag_y
                    z: dag_z
                  default_args:
                    params:
                      y: default_args_y
                  tasks:
                    echo:
                      operator: bash
                      params:
                        x: task_x
                        z: task_z
                      bash_command: %s
                """.formatted(
                        EngineHarness.yaml("echo \"{{ params.x }} {{ params.y }} {{ params.z }}\" > " + out)));
        DagRun run = harness.run("task_params", Map.of("z", "conf_z"), Instant.parse("2024-03-05T10:15:00Z"));

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(Files.readString(out).strip()).isEqualTo("task_x default_args_y conf_z");
    }

    @Test
    void aBashTasksLastLineIsPulledDownstream() throws Exception {
        Path out = harness.dir().resolve("out");
        harness.dag("xcom.yaml", """
                xcom:
                  schedule: null
                  tasks:
                    a: {operator: bash, bash_command: 'echo not this; echo the value 42'}
                    b:
                      operator: bash
                      bash_command: %s
                      dependencies: [a]
                """.formatted(
                        EngineHarness.yaml("echo \"pulled: {{ ti.xcom_pull(task_ids='a') }}\" > " + out)));
        DagRun run = harness.run("xcom");

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(Files.readString(out).strip()).isEqualTo("pulled: the value 42");
    }

    @Test
    void aTemplateErrorFailsItsTaskAndTheRestFollowTheirTriggerRules() throws Exception {
        Path ran = harness.dir().resolve("ran");
        String record = EngineHarness.yaml(EngineHarness.record(ran, "ran"));
        harness.dag("broken_template.yaml", """
                broken_template:
                  schedule: null
                  tasks:
                    bad: {operator: bash, bash_command: 'echo {{ nope }}'}
                    sibling: {operator: bash, bash_command: %1$s}
                    after_bad: {operator: bash, bash_command: %1$s, dependencies: [bad]}
                    cleanup: {operator: bash, bash_command: %1$s, trigger_rule: all_done, dependencies: [bad]}
                    on_failure: {operator: bash, bash_command: %1$s, trigger_rule: one_failed, dependencies: [bad, sibling]}
                """.formatted(record));
        DagRun run = harness.run("broken_template");

        assertThat(harness.states(run))
                .isEqualTo(Map.of(
                        "bad",
                        TaskState.FAILED,
                        "sibling",
                        TaskState.SUCCESS,
                        "after_bad",
                        TaskState.UPSTREAM_FAILED,
                        "cleanup",
                        TaskState.SUCCESS,
                        "on_failure",
                        TaskState.SUCCESS));
        assertThat(harness.log(run, "bad", 1)).contains("nope").contains("template");
        assertThat(EngineHarness.events(ran).stream().map(EngineHarness.Event::taskId))
                .containsExactlyInAnyOrder("sibling", "cleanup", "on_failure");
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
    }
}
