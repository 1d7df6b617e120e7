package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstanceQuery;
import dev.gust.core.store.views.TaskInstanceExtrasQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every try of a task instance is kept as it ended ({@code task_instance_try}, what the REST
 * API's {@code tries} answer with), whichever writer moved it: here the real engine runs a command
 * that fails twice and then succeeds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTaskTriesTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @Test
    void eachTryIsKeptWithItsOwnStateAndTimes() throws Exception {
        Path counter = harness.dir().resolve("counter");
        String command = "echo try {{ ti.try_number }}; " + "n=$(cat " + counter
                + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter + "; [ $n -ge 3 ]";
        harness.retriedTaskDag("flaky", command, 2, "");
        DagRun run = harness.run("flaky");

        List<TaskInstanceQuery.Try> tries = new TaskInstanceQuery(harness.db().jdbc())
                .tries(harness.ti(run, "flaky").key());
        assertThat(tries).extracting(TaskInstanceQuery.Try::tryNumber).containsExactly(1, 2, 3);
        assertThat(tries)
                .extracting(TaskInstanceQuery.Try::state)
                .containsExactly("up_for_retry", "up_for_retry", "success");
        assertThat(tries).allSatisfy(t -> {
            assertThat(t.startDate()).isNotNull();
            assertThat(t.endDate()).isAfterOrEqualTo(t.startDate());
            assertThat(t.hostname()).isNotBlank();
        });
        assertThat(tries.get(0).endDate()).isBefore(tries.get(1).startDate());
        // each try's templates are stored as that try rendered them
        TaskInstanceExtrasQuery extras =
                new TaskInstanceExtrasQuery(harness.db().jdbc());
        for (int tryNumber = 1; tryNumber <= 3; tryNumber++) {
            assertThat(extras.renderedFields(harness.ti(run, "flaky").key(), tryNumber))
                    .hasValueSatisfying(fields -> assertThat(fields).contains("\"bash_command\":\"echo try "));
        }
        assertThat(extras.renderedFields(harness.ti(run, "flaky").key(), 2).orElseThrow())
                .contains("echo try 2; ");
        assertThat(extras.renderedFields(harness.ti(run, "flaky").key()).orElseThrow())
                .as("the latest try's")
                .contains("echo try 3; ");
    }

    @Test
    void aTaskWithoutArgumentsStoresNoRenderedFields() throws Exception {
        harness.dag("quiet.yaml", """
                quiet:
                  schedule: null
                  tasks:
                    nothing: {operator: empty}
                    echo: {operator: bash, bash_command: 'echo {{ ds }}', dependencies: [nothing]}
                """);
        DagRun run = harness.run("quiet");

        TaskInstanceExtrasQuery extras =
                new TaskInstanceExtrasQuery(harness.db().jdbc());
        assertThat(harness.ti(run, "nothing").state().dbName()).isEqualTo("success");
        assertThat(extras.renderedFields(harness.ti(run, "nothing").key(), 1))
                .as("nothing to render, no row (a round trip less per try)")
                .isEmpty();
        assertThat(extras.renderedFields(harness.ti(run, "echo").key(), 1))
                .hasValueSatisfying(fields -> assertThat(fields).contains("\"bash_command\":\"echo "));
    }
}
