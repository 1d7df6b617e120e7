package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskDoc;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DAG-level settings corpus ({@code dagfactory-corpus/dag-settings}), loaded as a DAG folder,
 * against what dag-factory hands Airflow's {@code DAG(...)} and what Airflow makes of it, written
 * out by hand.
 */
class DagSettingsCorpusTest {

    private static DagFolderScan scan;

    @BeforeAll
    static void load() throws URISyntaxException {
        Path folder = Path.of(DagSettingsCorpusTest.class
                .getResource("/dagfactory-corpus/dag-settings")
                .toURI());
        try (DagFolderScanner scanner =
                new DagFolderScanner(folder, new DagFolderScanner.Settings(1_000_000, 1), new DagFileParser())) {
            scan = scanner.scan();
        }
    }

    @Test
    void everyDagLoadsWithoutErrors() {
        assertThat(scan.importErrors()).isEmpty();
        assertThat(scan.dags()).containsOnlyKeys("documented_report", "file_documented", "plain");
    }

    @Test
    void inlineSettingsMeanWhatAirflowMakesOfThem() {
        Dag dag = scan.dags().get("documented_report");
        assertThat(dag.dagDisplayName()).isEqualTo("Revenue report (monthly)");
        assertThat(dag.displayName()).isEqualTo("Revenue report (monthly)");
        assertThat(dag.docMd())
                .isEqualTo("# Revenue report\n\nBuilds the **monthly** revenue report. See [the runbook]"
                        + "(https://wiki.example.com/runbook).\n\n| step | what |\n|------|------|\n"
                        + "| extract | pulls invoices |\n");
        assertThat(dag.defaultView()).isEqualTo("graph");
        assertThat(dag.orientation()).isEqualTo("TB");
        assertThat(dag.pausedUponCreation()).isFalse();
        assertThat(dag.maxActiveTasks()).isEqualTo(4);
        assertThat(dag.maxConsecutiveFailedDagRuns()).isEqualTo(3);
        assertThat(dag.renderTemplateAsNativeObj()).isTrue();
        // the default block's owner_links reach the DAG, as dag-factory merges DAG keys over it
        assertThat(dag.ownerLinks()).containsExactly(Map.entry("data-eng", "https://wiki.example.com/teams/data-eng"));
        assertThat(dag.owner()).isEqualTo("data-eng");
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(dag.tasks()).extracting(t -> t.taskId()).containsExactly("extract", "report");
        assertThat(dag.task("extract").orElseThrow().doc())
                .isEqualTo(new TaskDoc("doc_md", "Pulls the month's **invoices**."));
        assertThat(dag.task("report").orElseThrow().doc()).isNull();
    }

    @Test
    void paramsKeepAirflowsParamSchema() {
        Dag dag = scan.dags().get("documented_report");
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("month", "2024-01");
        defaults.put("regions", List.of("eu", "us"));
        defaults.put("limit", 10);
        assertThat(dag.params()).containsExactlyEntriesOf(defaults);
        assertThat(dag.paramSchemas())
                .containsOnlyKeys("month", "regions")
                .containsEntry(
                        "month",
                        Map.of(
                                "type",
                                "string",
                                "pattern",
                                "^[0-9]{4}-[0-9]{2}$",
                                "title",
                                "Month",
                                "description",
                                "The month to report on, as YYYY-MM"))
                .containsEntry("regions", Map.of("type", "array"));
    }

    @Test
    void docMdFileIsReadBesideTheDagFileAndOldNamesWork() {
        Dag dag = scan.dags().get("file_documented");
        assertThat(dag.docMd())
                .isEqualTo("# Deploy\n\nDeploys the service to the **target** given when the run is triggered.\n");
        assertThat(dag.maxActiveTasks()).isEqualTo(2); // concurrency, Airflow's old name
        assertThat(dag.defaultView()).isEqualTo("grid"); // tree, Airflow's old name of the grid
        assertThat(dag.ownerLinks()).containsExactly(Map.entry("ops", "mailto:ops@example.com"));
        // a Param without a default is required: its default is null and its schema kept
        assertThat(dag.params()).containsEntry("target", null);
        assertThat(dag.paramSchemas().get("target"))
                .containsEntry("enum", List.of("staging", "production"))
                .containsEntry("description", "Where to deploy");
    }

    @Test
    void unsetSettingsFallBackToAirflowsDefaults() {
        Dag dag = scan.dags().get("plain");
        assertThat(dag.displayName()).isEqualTo("plain");
        assertThat(dag.dagDisplayName()).isNull();
        assertThat(dag.docMd()).isNull();
        assertThat(dag.defaultView()).isNull();
        assertThat(dag.orientation()).isNull();
        assertThat(dag.ownerLinks()).isEmpty();
        assertThat(dag.renderTemplateAsNativeObj()).isFalse();
        assertThat(dag.maxConsecutiveFailedDagRuns()).isNull();
        assertThat(dag.pausedUponCreation()).isNull();
        assertThat(dag.maxActiveTasks()).isNull();
    }
}
