package dev.gust.cli.dags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.serialize.DagSerializer;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code gust dags show} of DAGs stored by a real folder sync: the text names each task's group
 * (and only a DAG with groups gets the column), the DOT draws each group as a labelled cluster,
 * nested as the groups are, in the DAG's orientation.
 */
class DagsShowTest {

    static final String DAGS = """
            shown:
              schedule: null
              orientation: TB
              task_groups:
                extract: {tooltip: pulls the data}
                api: {parent_group_name: extract}
              tasks:
                start: {operator: empty}
                orders: {operator: empty, task_group_name: extract, dependencies: [start]}
                pull: {operator: empty, task_group_name: api, dependencies: [start]}
                done: {operator: empty, dependencies: [extract]}
            plain:
              schedule: null
              tasks:
                a: {operator: empty}
                b: {operator: empty, dependencies: [a]}
            """;

    static TestDatabase db;
    static DagRepository dags;

    @BeforeAll
    static void storeTheDags() throws Exception {
        db = TestDatabase.create();
        Path folder = Files.createTempDirectory("gust-dags-show");
        Files.writeString(folder.resolve("shown.yaml"), DAGS);
        dags = new DagRepository(db.jdbc());
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                dags,
                new ImportErrorRepository(db.jdbc()),
                new DagWarningRepository(db.jdbc()),
                GustConfig.defaults().core())) {
            assertThat(sync.sync().importErrors()).isZero();
        }
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    private static Dag dag(String dagId) {
        return new DagSerializer().fromJson(dags.serializedDag(dagId).orElseThrow());
    }

    private static List<String> text(String dagId) {
        StringWriter buffer = new StringWriter();
        DagsCommand.Show.printText(
                new PrintWriter(buffer), dag(dagId), dags.find(dagId).orElseThrow());
        return buffer.toString().lines().map(String::stripTrailing).toList();
    }

    @Test
    void textNamesEachTasksGroup() {
        List<String> lines = text("shown");
        assertThat(lines).contains("  groups:   2");
        assertThat(lines).anyMatch(line -> line.matches("task_id\\s+\\| task_group\\s+\\| operator.*"));
        assertThat(lines).anyMatch(line -> line.matches("start\\s+\\|\\s+\\| empty.*"));
        assertThat(lines).anyMatch(line -> line.matches("extract\\.orders\\s+\\| extract\\s+\\| empty.*"));
        assertThat(lines).anyMatch(line -> line.matches("extract\\.api\\.pull\\s+\\| extract\\.api\\s+\\| empty.*"));
        assertThat(lines).anyMatch(line -> line.matches("done\\s+\\|\\s+\\| empty.*"));
    }

    @Test
    void textOfADagWithoutGroupsHasNoGroupColumn() {
        List<String> lines = text("plain");
        assertThat(lines).noneMatch(line -> line.contains("task_group") || line.contains("groups:"));
        assertThat(lines).anyMatch(line -> line.matches("task_id\\s+\\| operator.*"));
    }

    @Test
    void dotDrawsGroupsAsNestedLabelledClusters() {
        String dot = DagDot.of(dag("shown"));
        assertThat(dot).startsWith("""
                digraph "shown" {
                  rankdir=TB;
                  subgraph "cluster_extract" {
                    label="extract";
                    tooltip="pulls the data";
                    subgraph "cluster_extract.api" {
                      label="api";
                      "extract.api.pull" [label="extract.api.pull\\n(empty)"];
                    }
                    "extract.orders" [label="extract.orders\\n(empty)"];
                  }
                  "start" [label="start\\n(empty)"];
                  "done" [label="done\\n(empty)"];
                """);
        assertThat(dot.lines().filter(line -> line.contains(" -> ")))
                .containsExactlyInAnyOrder(
                        "  \"start\" -> \"extract.orders\";",
                        "  \"start\" -> \"extract.api.pull\";",
                        "  \"extract.orders\" -> \"done\";",
                        "  \"extract.api.pull\" -> \"done\";");
        assertThat(dot).endsWith("}\n");
    }

    @Test
    void dotOfADagWithoutGroupsIsFlatAndLeftToRight() {
        assertThat(DagDot.of(dag("plain"))).isEqualTo("""
                digraph "plain" {
                  rankdir=LR;
                  "a" [label="a\\n(empty)"];
                  "b" [label="b\\n(empty)"];
                  "a" -> "b";
                }
                """);
    }
}
