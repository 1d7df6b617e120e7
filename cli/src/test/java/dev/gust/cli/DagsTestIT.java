package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast loop of a data engineer, as a subprocess: load the examples, test a DAG, test a task. */
class DagsTestIT {

    @TempDir
    Path home;

    @Test
    void anExampleDagRunsToSuccessAndATaskTestPrintsItsLog() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        GustProcess.Result loaded = GustProcess.run(env, "dags", "reserialize");
        assertThat(loaded.exitCode()).as(loaded.all()).isZero();

        GustProcess.Result test = GustProcess.run(env, "dags", "test", "example_bash_etl", "2024-03-01");
        assertThat(test.exitCode()).as(test.all()).isZero();
        assertThat(test.stdout())
                .contains("extract_orders", "transform", "load", "report")
                .contains("run manual__2024-03-01T00:00:00+00:00: success")
                .doesNotContain("failed");

        GustProcess.Result task = GustProcess.run(env, "tasks", "test", "example_bash_etl", "transform", "2024-03-01");
        assertThat(task.exitCode()).as(task.all()).isZero();
        assertThat(task.stdout()).contains("joining orders and customers").contains("XCom return_value");

        GustProcess.Result states = GustProcess.run(
                env,
                "tasks",
                "states-for-dag-run",
                "example_bash_etl",
                "manual__2024-03-01T00:00:00+00:00",
                "-o",
                "json");
        assertThat(states.exitCode()).as(states.all()).isZero();
        assertThat(states.stdout()).contains("\"task_id\" : \"load\"").contains("\"state\" : \"success\"");

        GustProcess.Result cleared = GustProcess.run(env, "tasks", "clear", "example_bash_etl", "-t", "^load$", "-d");
        assertThat(cleared.exitCode()).as(cleared.all()).isZero();
        // load and its downstream report; the run goes back to queued for a scheduler to finish
        assertThat(cleared.stdout()).contains("cleared 2 task instances in 1 runs of example_bash_etl");
        GustProcess.Result runs = GustProcess.run(env, "dags", "list-runs", "example_bash_etl", "--state", "queued");
        assertThat(runs.stdout()).contains("manual__2024-03-01T00:00:00+00:00");
    }
}
