package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gust.core.store.runs.DagRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Log lines written while a task instance's try or a run is handled carry the DAG, run, task and
 * try ids as fields (MDC), which the JSON log writes out for CloudWatch Logs Insights.
 */
class EngineLogFieldsTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @Test
    void aTriesLogLinesCarryItsDagRunTaskAndTry() throws Exception {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Logger gust = (Logger) LoggerFactory.getLogger("dev.gust.scheduler");
        gust.addAppender(captured);
        try {
            harness.dag("fields.yaml", """
                    fields:
                      schedule: null
                      tasks:
                        fine: {operator: bash, bash_command: 'exit 0'}
                        broken: {operator: bash, bash_command: 'exit 1', dependencies: [fine]}
                    """);
            DagRun run = harness.run("fields");

            List<Map<String, String>> finished = captured.list.stream()
                    .filter(e -> e.getFormattedMessage().startsWith("task instance finished"))
                    .map(ILoggingEvent::getMDCPropertyMap)
                    .toList();
            assertThat(finished)
                    .contains(
                            Map.of("dag_id", "fields", "run_id", run.runId(), "task_id", "fine", "try_number", "1"),
                            Map.of("dag_id", "fields", "run_id", run.runId(), "task_id", "broken", "try_number", "1"));
            assertThat(captured.list)
                    .filteredOn(e -> e.getFormattedMessage().equals("run finished: failed"))
                    .singleElement()
                    .extracting(ILoggingEvent::getMDCPropertyMap)
                    .isEqualTo(Map.of("dag_id", "fields", "run_id", run.runId()));
            // the thread that ran the try is left without them
            assertThat(org.slf4j.MDC.getCopyOfContextMap()).isNullOrEmpty();
        } finally {
            gust.detachAppender(captured);
        }
    }
}
