package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.runs.DagRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task that floods its log (issue 13, finding 8: 2M lines stored 110 MB) stores no more than
 * {@code logging.max_task_log_size} plus one line saying where it was cut; the task itself runs to
 * its end and its outcome is its own. Real bash subprocesses on a real PostgreSQL.
 */
class EngineTaskLogCapTest {

    static final long CAP = 64 * 1024;

    EngineHarness harness;

    @BeforeEach
    void setUp() {
        harness = EngineHarness.create(Map.of("GUST_LOGGING__MAX_TASK_LOG_SIZE", "64KB"));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void aFloodingTaskStoresAtMostTheCapAndStillFinishesAsItWould() throws Exception {
        Path done = harness.dir().resolve("done");
        Path failedDone = harness.dir().resolve("failed-done");
        harness.dag("flood.yaml", """
                flood:
                  schedule: null
                  tasks:
                    loud: {operator: bash, bash_command: 'for i in $(seq 1 50000); do echo "line $i of the flood"; done; touch %s'}
                    loud_then_fails: {operator: bash, bash_command: 'seq 1 50000; touch %s; exit 3'}
                """.formatted(done, failedDone));

        DagRun run = harness.run("flood");

        assertThat(harness.states(run))
                .containsEntry("loud", TaskState.SUCCESS)
                .containsEntry("loud_then_fails", TaskState.FAILED);
        assertThat(done).as("the task ran to its end after its log was cut").exists();
        assertThat(failedDone).exists();
        for (String taskId : new String[] {"loud", "loud_then_fails"}) {
            String log = harness.log(run, taskId, 1);
            String[] lines = log.split("\n");
            String last = lines[lines.length - 1];
            assertThat(last).contains("this log was cut at").contains("the rest of this try's output is discarded");
            long bytes = log.getBytes(StandardCharsets.UTF_8).length;
            long lastBytes = (last + "\n").getBytes(StandardCharsets.UTF_8).length;
            assertThat(bytes - lastBytes)
                    .as(taskId + "'s log before the cut line")
                    .isLessThanOrEqualTo(CAP)
                    .isGreaterThan(CAP - 200);
            assertThat(log).doesNotContain("line 50000 of").doesNotContain("] 50000\n");
        }
    }

    @Test
    void aVeryLongLineIsStoredInSmallChunksSoThatPagesStayBounded() throws Exception {
        harness.close();
        harness = EngineHarness.create(Map.of("GUST_LOGGING__MAX_TASK_LOG_SIZE", "1MB"));
        harness.dag("long_line.yaml", """
                long_line:
                  schedule: null
                  tasks:
                    wide: {operator: bash, bash_command: 'head -c 300000 /dev/zero | tr "\\\\0" x; echo; echo after'}
                """);

        DagRun run = harness.run("long_line");

        assertThat(harness.states(run)).containsEntry("wide", TaskState.SUCCESS);
        String log = harness.log(run, "wide", 1);
        assertThat(log).contains("] after\n");
        assertThat(log.chars().filter(c -> c == 'x').count()).isGreaterThanOrEqualTo(300000);
        long largest = harness.db()
                .jdbc()
                .queryOne(
                        "SELECT max(octet_length(content)) FROM task_log_chunk" + " WHERE dag_id = 'long_line'",
                        Params.none(),
                        row -> row.getLong(1))
                .orElseThrow();
        assertThat(largest).as("the largest stored chunk").isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void noCapWhenTheSettingIsZero() throws Exception {
        harness.close();
        harness = EngineHarness.create(Map.of("GUST_LOGGING__MAX_TASK_LOG_SIZE", "0"));
        harness.dag("flood.yaml", """
                flood:
                  schedule: null
                  tasks:
                    loud: {operator: bash, bash_command: 'seq 1 20000'}
                """);

        DagRun run = harness.run("flood");

        String log = harness.log(run, "loud", 1);
        assertThat(log).contains("] 20000\n").doesNotContain("this log was cut");
        assertThat(log.getBytes(StandardCharsets.UTF_8).length).isGreaterThan((int) CAP * 4);
    }
}
