package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The defaults corpus (src/test/resources/dagfactory-corpus/defaults: a folder tree of DAG files
 * in the shapes dag-factory documents, with defaults.yml files at several levels) loaded as a
 * DAG folder, compared with what dag-factory + Airflow build from it, written out by hand: the
 * default block merged into each DAG ({@code merge_configs}: mappings key by key, lists and
 * values replaced), the defaults files from the folder's root down (nearest wins, default_args
 * key by key, tags unioned), and the documented precedence DAG > default block > defaults files.
 */
class DagFactoryDefaultsCorpusTest {

    private static DagFolderScanner scanner;
    private static DagFolderScan scan;

    @BeforeAll
    static void load() throws URISyntaxException {
        Path corpus = Path.of(DagFactoryDefaultsCorpusTest.class
                .getResource("/dagfactory-corpus/defaults")
                .toURI());
        scanner = new DagFolderScanner(corpus);
        scan = scanner.scan();
    }

    @AfterAll
    static void close() {
        scanner.close();
    }

    private static Dag dag(String id) {
        assertThat(scan.dags()).containsKey(id);
        return scan.dags().get(id);
    }

    private static final Schedule MIDNIGHT_CRON = new Schedule.Cron("0 0 * * *", null);
    private static final Schedule DAILY = new Schedule.Cron("0 0 * * *", "@daily");

    @Test
    void loadsEveryDagAndReportsOnlyTheListTaskThatInheritsNothing() {
        assertThat(scan.dags())
                .containsOnlyKeys(
                        "etl",
                        "machine_learning",
                        "data_science",
                        "artificial_intelligence",
                        "list_complete",
                        "first_dag",
                        "second_dag",
                        "yaml_named");
        // defaults files and a file of only a default block are not broken DAG files
        assertThat(scan.importErrors()).containsOnlyKeys("default_block/example_dag_factory_default_config_list.yml");
        assertThat(scan.importErrors().get("default_block/example_dag_factory_default_config_list.yml"))
                .anySatisfy(error -> {
                    assertThat(error.line()).isEqualTo(23);
                    assertThat(error.message())
                            .startsWith("task 'load' does not inherit the default block's task 'load'");
                })
                .allSatisfy(error -> assertThat(error.line()).isEqualTo(23));
    }

    @Test
    void theDefaultBlockForDefaultArgsOverTheRootDefaultsFile() {
        Dag etl = dag("etl");
        assertThat(etl.defaultArgs())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("owner", "platform", "start_date", "2025-01-01", "retries", 1));
        assertThat(etl.startDate()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(etl.schedule()).isEqualTo(MIDNIGHT_CRON);
        assertThat(etl.catchup()).isFalse();
        assertThat(etl.tags()).containsExactly("data engineering");
        assertThat(etl.owner()).isEqualTo("platform");
        assertThat(etl.tasks()).extracting(TaskSpec::taskId).containsExactly("extract", "transform", "load");
        assertThat(etl.task("transform").orElseThrow().upstream()).containsExactly("extract");
        assertThat(etl.task("load").orElseThrow().upstream()).containsExactly("transform");
        assertThat(etl.tasks()).allSatisfy(task -> {
            assertThat(task.operator()).isEqualTo("bash");
            assertThat(task.retries()).isEqualTo(1);
        });
    }

    @Test
    void templatedDagsExtendTheDefaultBlocksTasksWrittenAsMappings() {
        for (String id : new String[] {"machine_learning", "data_science", "artificial_intelligence"}) {
            Dag dag = dag(id);
            assertThat(dag.tasks())
                    .extracting(TaskSpec::taskId)
                    .containsExactlyInAnyOrder("extract", "transform", "load");
            TaskSpec load = dag.task("load").orElseThrow();
            assertThat(load.operator()).isEqualTo("bash");
            assertThat(load.args()).containsExactly(Map.entry("bash_command", "echo " + id));
            assertThat(load.upstream()).containsExactly("transform");
            assertThat(dag.task("extract").orElseThrow().args())
                    .containsExactly(Map.entry("bash_command", "echo extract"));
            assertThat(dag.task("transform").orElseThrow().upstream()).containsExactly("extract");
            assertThat(dag.schedule()).isEqualTo(MIDNIGHT_CRON);
            assertThat(dag.catchup()).isFalse();
            assertThat(dag.tags()).containsExactly("dynamic");
            assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        }
        assertThat(dag("machine_learning").defaultArgs())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("owner", "platform", "start_date", "2024-01-01", "retries", 1));
        assertThat(dag("data_science").tasks())
                .allSatisfy(task -> assertThat(task.retries()).isEqualTo(1));
        assertThat(dag("artificial_intelligence").tasks())
                .allSatisfy(task -> assertThat(task.retries()).isEqualTo(3));
    }

    @Test
    void aDagsTaskListReplacesTheDefaultBlocksTaskList() {
        Dag dag = dag("list_complete");
        assertThat(dag.tasks()).singleElement().satisfies(task -> {
            assertThat(task.taskId()).isEqualTo("load");
            assertThat(task.operator()).isEqualTo("empty");
            assertThat(task.upstream()).isEmpty();
        });
    }

    @Test
    void nestedDefaultsFilesMergeNearestFirstUnderTheFilesDefaultBlock() {
        Dag first = dag("first_dag");
        assertThat(first.defaultArgs())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "owner", "default_block_owner", // the file's default block
                        "retries", 3, // a/b/c
                        "priority_weight", 7, // a/b
                        "pool", "a_pool", // a
                        "start_date", "2024-01-01")); // the root
        assertThat(first.tags()).containsExactly("a", "b", "c", "platform");
        assertThat(first.maxActiveRuns()).isEqualTo(4); // the default block over a's 5
        assertThat(first.catchup()).isTrue(); // a/b over the root
        assertThat(first.description()).isEqualTo("from a/b/c/defaults.yml");
        assertThat(first.schedule()).isEqualTo(DAILY);
        assertThat(first.owner()).isEqualTo("default_block_owner");
        TaskSpec only = first.tasks().getFirst();
        assertThat(only.retries()).isEqualTo(3);
        assertThat(only.pool()).isEqualTo("a_pool");
        assertThat(only.priorityWeight()).isEqualTo(7);
        assertThat(only.owner()).isEqualTo("default_block_owner");

        Dag second = dag("second_dag");
        assertThat(second.description()).isEqualTo("its own description");
        assertThat(second.catchup()).isFalse();
        assertThat(second.tags()).containsExactly("own");
        assertThat(second.defaultArgs()).containsEntry("pool", "own_pool").containsEntry("retries", 3);
        assertThat(second.tasks().getFirst().pool()).isEqualTo("own_pool");
        assertThat(second.tasks().getFirst().retries()).isZero();
    }

    @Test
    void aDefaultsYamlFileIsReadWhenTheFolderHasNoDefaultsYml() {
        Dag dag = dag("yaml_named");
        assertThat(dag.defaultArgs())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("owner", "yaml_owner", "start_date", "2024-01-01", "retries", 1));
        assertThat(dag.tags()).containsExactly("platform");
        assertThat(dag.schedule()).isEqualTo(DAILY);
        assertThat(dag.catchup()).isFalse();
    }
}
