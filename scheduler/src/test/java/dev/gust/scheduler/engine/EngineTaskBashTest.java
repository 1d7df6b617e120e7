package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dag-factory's {@code @task.bash} run by the engine with a real {@code python3} and bash: the
 * function's return value is the command, run as a bash task (its {@code env}, its last output
 * line as XCom, exit code 99 a skip); a return value that is not a non-empty string fails the task.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineTaskBashTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @BeforeAll
    static void pythonIsInstalled() {
        EngineHarness.requirePython("python3");
    }

    @BeforeEach
    void callables() throws IOException {
        harness.dagFolderFile("callables/commands.py", """
                def table():
                    return "sales"


                def load(table, ds=None):
                    return f"echo loading {table} for {ds} in $STAGE; echo done-{table}"


                def nothing_to_do():
                    return "echo nothing new; exit 99"


                def not_a_command():
                    return 42


                def empty():
                    return "  "


                def failing():
                    return "echo about to fail; exit 3"
                """);
    }

    @Test
    void theReturnedCommandRunsAsABashTask() throws Exception {
        harness.dag("task_bash.yaml", """
                task_bash:
                  schedule: null
                  tasks:
                    pick: {decorator: airflow.decorators.task, python_callable: callables.commands.table}
                    load:
                      decorator: airflow.decorators.task.bash
                      python_callable: callables.commands.load
                      table: +pick
                      env: {STAGE: prod}
                    skip: {decorator: airflow.sdk.task.bash, python_callable: callables.commands.nothing_to_do}
                    number: {decorator: airflow.decorators.task.bash, python_callable: callables.commands.not_a_command}
                    blank: {decorator: airflow.decorators.task.bash, python_callable: callables.commands.empty}
                    fails: {decorator: airflow.decorators.task.bash, python_callable: callables.commands.failing}
                """);

        DagRun run = harness.run("task_bash");

        assertThat(harness.states(run))
                .containsEntry("pick", TaskState.SUCCESS)
                .containsEntry("load", TaskState.SUCCESS)
                .containsEntry("skip", TaskState.SKIPPED)
                .containsEntry("number", TaskState.FAILED)
                .containsEntry("blank", TaskState.FAILED)
                .containsEntry("fails", TaskState.FAILED);
        String ds = run.logicalDate().toString().substring(0, 10);
        assertThat(harness.log(run, "load", 1))
                .contains("Running command: echo loading sales for " + ds + " in $STAGE; echo done-sales")
                .contains("loading sales for " + ds + " in prod");
        assertThat(harness.stores().xcoms().pull("task_bash", run.runId(), "load", "return_value"))
                .as("the command's last output line, not the function's return value")
                .contains("\"done-sales\"");
        assertThat(harness.log(run, "skip", 1)).contains("nothing new").contains("exit code 99");
        assertThat(harness.log(run, "number", 1))
                .contains("The returned value from the @task.bash callable must be a non-empty string (the bash"
                        + " command to run), got 42");
        assertThat(harness.log(run, "blank", 1))
                .contains("must be a non-empty string")
                .contains("got '  '");
        assertThat(harness.log(run, "fails", 1))
                .contains("about to fail")
                .contains("The command returned a non-zero exit code 3");
    }
}
