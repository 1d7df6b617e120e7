package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example DAGs shipped in the repository's dags/ folder must always load cleanly. */
class ExampleDagsTest {

    @Test
    void exampleDagsLoadWithoutErrors() {
        Path dags = Path.of("..", "dags");
        assertThat(Files.isDirectory(dags))
                .as("run from core/, where ../dags is the example folder")
                .isTrue();
        try (DagFolderScanner scanner = new DagFolderScanner(dags)) {
            DagFolderScan scan = scanner.scan();
            assertThat(scan.importErrors()).isEmpty();
            assertThat(scan.dags())
                    .containsKeys(
                            "example_bash_etl",
                            "example_branching",
                            "example_sensors_and_http",
                            "example_params",
                            "example_python",
                            "example_datasets_producer",
                            "example_datasets_consumer",
                            "example_datasets_report",
                            "example_mapping",
                            "example_callbacks",
                            "example_alerts");
            assertThat(scan.dags().get("example_datasets_report").schedule())
                    .isInstanceOf(Schedule.DatasetsOrTime.class);
            assertThat(scan.dags().get("example_params").schedule()).isEqualTo(new Schedule.None());
            assertThat(scan.dags().get("example_bash_etl").tasks()).hasSize(5);
            // a Slack webhook and Airflow's alert mail on failure, an SLA and a deadline
            var alerts = scan.dags().get("example_alerts");
            var export = alerts.task("export").orElseThrow();
            assertThat(export.callbacksFor(dev.gust.core.dag.model.CallbackEvent.FAILURE))
                    .extracting(spec -> ((dev.gust.core.dag.model.CallbackSpec.Notify) spec).kind())
                    .containsExactly("slack_webhook", "smtp");
            assertThat(export.sla()).isEqualTo(java.time.Duration.ofMinutes(15));
            assertThat(alerts.callbacksFor(dev.gust.core.dag.model.CallbackEvent.SLA_MISS))
                    .hasSize(1);
            assertThat(alerts.deadlines()).hasSize(1);
            // dag-factory's task.output made list_files an upstream of the task mapped over its output
            assertThat(scan.dags()
                            .get("example_mapping")
                            .task("process")
                            .orElseThrow()
                            .upstream())
                    .containsExactly("list_files");
        }
    }
}
