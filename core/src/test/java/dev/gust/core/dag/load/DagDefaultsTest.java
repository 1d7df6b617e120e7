package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file's {@code default} block and the folders' {@code defaults.yml} files, merged into each
 * DAG as dag-factory merges them (its {@code merge_configs} and hierarchical defaults).
 */
class DagDefaultsTest {

    @TempDir
    Path folder;

    private DagFolderScanner scanner;
    private final AtomicLong clock =
            new AtomicLong(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
    private final DagFileParser parser = new DagFileParser();

    @BeforeEach
    void setUp() {
        scanner = new DagFolderScanner(folder, new DagFolderScanner.Settings(100_000, 2), parser);
    }

    @AfterEach
    void tearDown() {
        scanner.close();
    }

    private void write(String file, String content) throws IOException {
        Path path = folder.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setLastModifiedTime(path, FileTime.fromMillis(clock.addAndGet(2_000)));
    }

    private DagFileResult parse(String yaml) {
        return parser.parse("f.yaml", yaml);
    }

    @Test
    void tasksWrittenAsMappingsExtendTheDefaultBlocksTasksKeyByKey() {
        DagFileResult result = parse("""
                default:
                  tasks:
                    extract:
                      operator: bash
                      bash_command: echo extract
                    load:
                      operator: bash
                      bash_command: echo load
                      retries: 2
                      dependencies: [extract]
                machine_learning:
                  tasks:
                    load:
                      bash_command: echo machine_learning
                    report:
                      operator: empty
                      dependencies: [load]
                data_science:
                  tasks:
                    load:
                      bash_command: echo data_science
                """);
        assertThat(result.errors()).isEmpty();
        Dag ml = result.dags().get(0);
        // the DAG's keys come first, then those only the default block has, as in dag-factory's dict
        assertThat(ml.tasks()).extracting(TaskSpec::taskId).containsExactly("load", "report", "extract");
        TaskSpec load = ml.task("load").orElseThrow();
        assertThat(load.operator()).isEqualTo("bash");
        assertThat(load.args()).containsEntry("bash_command", "echo machine_learning");
        assertThat(load.retries()).isEqualTo(2);
        assertThat(load.upstream()).containsExactly("extract");
        assertThat(ml.task("report").orElseThrow().upstream()).containsExactly("load");
        Dag ds = result.dags().get(1);
        assertThat(ds.tasks()).extracting(TaskSpec::taskId).containsExactly("load", "extract");
        assertThat(ds.task("load").orElseThrow().args()).containsEntry("bash_command", "echo data_science");
    }

    @Test
    void aTasksListReplacesTheDefaultBlocksTasksWhole() {
        DagFileResult result = parse("""
                default:
                  tasks:
                    - task_id: extract
                      operator: bash
                      bash_command: echo extract
                    - task_id: load
                      operator: bash
                      bash_command: echo load
                own:
                  tasks:
                    - task_id: only
                      operator: empty
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags().getFirst().tasks())
                .extracting(TaskSpec::taskId)
                .containsExactly("only");
    }

    @Test
    void aListTaskThatRepeatsADefaultTaskWithoutItsOperatorIsToldWhyItInheritsNothing() {
        DagFileResult result = parse("""
                default:
                  tasks:
                    - task_id: load
                      operator: bash
                      bash_command: echo load
                machine_learning:
                  tasks:
                    - task_id: load
                      bash_command: echo machine_learning
                """);
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors()).anySatisfy(error -> {
            assertThat(error.line()).isEqualTo(8);
            assertThat(error.message())
                    .startsWith("task 'load' does not inherit the default block's task 'load'")
                    .contains("both write them as a mapping");
        });
    }

    @Test
    void everyMappingMergesKeyByKeyAtEveryDepthWhileListsAndValuesReplace() {
        DagFileResult result = parse("""
                default:
                  default_args:
                    owner: team
                    retries: 2
                    start_date: '2024-01-01'
                  params:
                    region: eu
                    limit: 10
                  tags: [shared, default]
                  schedule: '@hourly'
                etl:
                  default_args:
                    retries: 5
                  params:
                    limit: 20
                  tags: [own]
                  tasks:
                    t: {operator: empty}
                """);
        assertThat(result.errors()).isEmpty();
        Dag etl = result.dags().getFirst();
        assertThat(etl.defaultArgs())
                .containsEntry("owner", "team")
                .containsEntry("retries", 5)
                .containsEntry("start_date", "2024-01-01");
        assertThat(etl.params()).containsExactlyInAnyOrderEntriesOf(Map.of("region", "eu", "limit", 20));
        assertThat(etl.tags()).containsExactly("own");
        assertThat(etl.schedule()).isEqualTo(new Schedule.Cron("0 * * * *", "@hourly"));
    }

    @Test
    void aFileHoldingOnlyADefaultBlockIsNotABrokenDagFile() throws IOException {
        write("shared.yaml", "default:\n  default_args:\n    owner: team\n");
        DagFolderScan scan = scanner.scan();
        assertThat(scan.dags()).isEmpty();
        assertThat(scan.importErrors()).isEmpty();
    }

    @Test
    void defaultsFilesFromTheRootDownAreMergedNearestFirstUnderTheFilesOwnDefaultBlock() throws IOException {
        write("defaults.yml", """
                default_args:
                  owner: root_owner
                  retries: 1
                  start_date: '2024-01-01'
                schedule: '@daily'
                catchup: true
                tags: [root]
                """);
        write("team/defaults.yml", """
                default_args:
                  owner: team_owner
                  email: team@example.com
                max_active_runs: 3
                tags: [team, alpha]
                """);
        write("team/sub/defaults.yaml", """
                default_args:
                  retries: 3
                catchup: false
                """);
        write("team/sub/dags.yaml", """
                default:
                  default_args:
                    retries: 4
                  max_active_runs: 2
                plain:
                  tasks:
                    t: {operator: empty}
                own:
                  schedule: '@hourly'
                  default_args:
                    owner: own_owner
                  tags: [mine]
                  tasks:
                    t: {operator: empty}
                """);
        write("other/dag.yaml", "elsewhere:\n  tasks:\n    t: {operator: empty}\n");

        DagFolderScan scan = scanner.scan();

        assertThat(scan.importErrors()).isEmpty();
        assertThat(scan.dags()).containsOnlyKeys("plain", "own", "elsewhere");
        Dag plain = scan.dags().get("plain");
        // default_args key by key: the default block, then team/sub, team, the root
        assertThat(plain.defaultArgs())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "owner", "team_owner",
                        "retries", 4,
                        "email", "team@example.com",
                        "start_date", "2024-01-01"));
        assertThat(plain.owner()).isEqualTo("team_owner");
        assertThat(plain.tasks().getFirst().retries()).isEqualTo(4);
        assertThat(plain.maxActiveRuns()).isEqualTo(2); // the default block beats the defaults files
        assertThat(plain.catchup()).isFalse(); // the nearest defaults file wins
        assertThat(plain.schedule()).isEqualTo(new Schedule.Cron("0 0 * * *", "@daily"));
        assertThat(plain.tags()).containsExactly("alpha", "root", "team"); // every file's tags, sorted
        assertThat(plain.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        Dag own = scan.dags().get("own");
        assertThat(own.owner()).isEqualTo("own_owner");
        assertThat(own.defaultArgs()).containsEntry("retries", 4).containsEntry("email", "team@example.com");
        assertThat(own.schedule()).isEqualTo(new Schedule.Cron("0 * * * *", "@hourly"));
        assertThat(own.tags()).containsExactly("mine");
        Dag elsewhere = scan.dags().get("elsewhere");
        assertThat(elsewhere.defaultArgs()).containsEntry("owner", "root_owner").doesNotContainKey("email");
        assertThat(elsewhere.catchup()).isTrue();
        assertThat(elsewhere.tags()).containsExactly("root");
    }

    @Test
    void defaultsFilesAreNotDagFilesAndTheYmlOneWinsOverTheYamlOne() throws IOException {
        write("defaults.yml", "default_args:\n  owner: yml\n");
        write("defaults.yaml", "default_args:\n  owner: yaml\n");
        write("dag.yaml", "d:\n  tasks:\n    t: {operator: empty}\n");

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("d");
        assertThat(scan.dags().get("d").owner()).isEqualTo("yml");
        assertThat(scan.importErrors()).containsOnlyKeys("defaults.yaml");
        assertThat(scan.importErrors().get("defaults.yaml"))
                .singleElement()
                .satisfies(error -> assertThat(error.message())
                        .startsWith("this file is not used: defaults.yml in the same folder is"));
    }

    @Test
    void aProblemInTheDefaultBlockIsReportedOnceAndEachDagItBreaksSaysWhy() {
        DagFileResult result = parse("""
                default:
                  default_args:
                    retries: three
                  no_such_setting: 1
                one:
                  tasks:
                    t: {operator: empty}
                two:
                  tasks:
                    t: {operator: empty}
                """);
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors()).extracting(ImportError::line).containsExactly(3, 4, 5, 8);
        assertThat(result.errors().get(2).message())
                .isEqualTo("DAG 'one' is not loaded: its default block has problems on lines 3, 4");
        assertThat(result.errors().get(3).message())
                .isEqualTo("DAG 'two' is not loaded: its default block has problems on lines 3, 4");
        assertThat(result.errors().get(0).message())
                .startsWith("default block: ")
                .contains("retries");
        assertThat(result.errors().get(1).message())
                .startsWith("default block: ")
                .contains("'no_such_setting'")
                .doesNotContain("'one'")
                .doesNotContain("'two'");
    }

    @Test
    void aDefaultBlockProblemOnlyOneDagRunsIntoStaysThatDagsOwn() {
        DagFileResult result = parse("""
                default:
                  tasks:
                    t:
                      operator: empty
                      retries: 1
                fine:
                  tasks:
                    t: {retries: 2}
                broken:
                  tasks:
                    t: {operator: no_such_operator}
                """);
        assertThat(result.dags()).extracting(Dag::dagId).containsExactly("fine");
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(11);
            assertThat(error.message()).contains("no_such_operator");
        });
    }

    @Test
    void aDefaultBlockThatIsNotAMappingBreaksEveryDagOnce() {
        DagFileResult result = parse("""
                default: [not, a, mapping]
                one:
                  tasks:
                    t: {operator: empty}
                two:
                  tasks:
                    t: {operator: empty}
                """);
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors())
                .extracting(ImportError::line, ImportError::message)
                .containsExactly(
                        tuple(1, "the 'default' block must be a mapping of DAG settings"),
                        tuple(2, "DAG 'one' is not loaded: its default block has a problem on line 1"),
                        tuple(5, "DAG 'two' is not loaded: its default block has a problem on line 1"));
    }

    @Test
    void aProblemInADefaultsFileIsFiledOnceUnderThatFile() throws IOException {
        write("team/defaults.yml", "# shared\ndefault_args:\n  owner: team\nno_such_setting: 1\n");
        write("team/a.yaml", "a:\n  tasks:\n    t: {operator: empty}\n");
        write("team/b.yaml", "b1:\n  tasks:\n    t: {operator: empty}\nb2:\n  tasks:\n    t: {operator: empty}\n");

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).isEmpty();
        assertThat(scan.importErrors()).containsOnlyKeys("team/defaults.yml", "team/a.yaml", "team/b.yaml");
        assertThat(scan.importErrors().get("team/defaults.yml")).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.message()).contains("'no_such_setting'").doesNotContain("'a'");
        });
        assertThat(scan.importErrors().get("team/b.yaml"))
                .extracting(ImportError::line, ImportError::message)
                .containsExactly(
                        tuple(
                                1,
                                "DAG 'b1' is not loaded: team/defaults.yml, which it inherits, has a problem on line 4"),
                        tuple(
                                4,
                                "DAG 'b2' is not loaded: team/defaults.yml, which it inherits, has a problem on line 4"));
    }

    @Test
    void aDefaultsFileThatCannotBeReadKeepsTheDagFilesBelowItFromLoading() throws IOException {
        write("team/defaults.yml", "default_args: [unclosed\n");
        write("team/a.yaml", "a:\n  tasks:\n    t: {operator: empty}\n");
        write("team/only_defaults.yaml", "default:\n  catchup: false\n");
        write("other.yaml", "other:\n  tasks:\n    t: {operator: empty}\n");

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("other");
        assertThat(scan.importErrors()).containsOnlyKeys("team/defaults.yml", "team/a.yaml");
        assertThat(scan.importErrors().get("team/defaults.yml").getFirst().message())
                .startsWith("invalid YAML");
        assertThat(scan.importErrors().get("team/a.yaml"))
                .singleElement()
                .satisfies(error -> assertThat(error.message())
                        .isEqualTo("no DAG of this file is loaded: it inherits team/defaults.yml, which cannot be "
                                + "read; fix the errors reported for that file"));
    }

    @Test
    void duplicateKeysInADefaultsFileNameTheirRealLines() throws IOException {
        write("defaults.yml", "catchup: true\ncatchup: false\n");
        write("a.yaml", "a:\n  tasks:\n    t: {operator: empty}\n");

        List<ImportError> errors = scanner.scan().importErrors().get("defaults.yml");

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.message()).contains("first on line 1");
        });
    }

    @Test
    void editingADefaultsFileReparsesTheDagFilesBelowItOnly() throws IOException {
        write("team/defaults.yml", "default_args:\n  owner: before\n");
        write("team/a.yaml", "a:\n  tasks:\n    t: {operator: empty}\n");
        write("other/b.yaml", "b:\n  tasks:\n    t: {operator: empty}\n");
        scanner.scan();
        long parses = scanner.parseCount();

        write("team/defaults.yml", "default_args:\n  owner: after\n");
        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags().get("a").owner()).isEqualTo("after");
        assertThat(scanner.parseCount()).isEqualTo(parses + 1);
        assertThat(scan.changedFiles()).containsExactlyInAnyOrder("team/defaults.yml", "team/a.yaml");

        write("team/sub/defaults.yml", "default_args:\n  owner: nearer\n");
        write("team/sub/c.yaml", "c:\n  tasks:\n    t: {operator: empty}\n");
        Files.delete(folder.resolve("team/defaults.yml"));
        scan = scanner.scan();

        assertThat(scan.dags().get("a").owner()).isNull();
        assertThat(scan.dags().get("c").owner()).isEqualTo("nearer");
        assertThat(scan.removedFiles()).containsExactly("team/defaults.yml");
        assertThat(scanner.scan().changedFiles()).isEmpty();
    }
}
