package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DagFolderScannerTest {

    @TempDir
    Path folder;

    private DagFolderScanner scanner;
    // file systems keep coarse modification times; each write moves the clock on explicitly
    private final AtomicLong clock =
            new AtomicLong(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());

    @BeforeEach
    void setUp() {
        scanner = new DagFolderScanner(folder, new DagFolderScanner.Settings(10_000, 2), new DagFileParser());
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

    private static String dag(String id) {
        return id + ":\n  schedule: '@daily'\n  start_date: 2024-01-01\n  tasks:\n    t: {operator: empty}\n";
    }

    @Test
    void loadsEveryYamlFileRecursivelyAndSkipsHiddenAndOtherFiles() throws IOException {
        write("a.yaml", dag("a"));
        write("sub/b.yml", dag("b"));
        write("sub/deeper/c.yaml", dag("c"));
        write(".hidden.yaml", dag("hidden1"));
        write(".git/d.yaml", dag("hidden2"));
        write("notes.txt", dag("txt"));

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("a", "b", "c");
        assertThat(scan.dags().get("b").fileloc()).isEqualTo("sub/b.yml");
        assertThat(scan.importErrors()).isEmpty();
        assertThat(scan.changedFiles()).containsExactlyInAnyOrder("a.yaml", "sub/b.yml", "sub/deeper/c.yaml");
        assertThat(scan.taskCount()).isEqualTo(3);
    }

    @Test
    void honoursGustignore() throws IOException {
        write("a.yaml", dag("a"));
        write("drafts/b.yaml", dag("b"));
        write("c_wip.yaml", dag("c"));
        write(".gustignore", "# work in progress\n^drafts/\n_wip\\.yaml$\n");

        assertThat(scanner.scan().dags()).containsOnlyKeys("a");
    }

    @Test
    void reparsesOnlyChangedFiles() throws IOException {
        write("a.yaml", dag("a"));
        write("b.yaml", dag("b"));
        scanner.scan();
        assertThat(scanner.parseCount()).isEqualTo(2);

        DagFolderScan unchanged = scanner.scan();
        assertThat(scanner.parseCount()).isEqualTo(2);
        assertThat(unchanged.changedFiles()).isEmpty();
        assertThat(unchanged.dags()).containsOnlyKeys("a", "b");

        write("b.yaml", dag("b").replace("@daily", "@hourly"));
        DagFolderScan changed = scanner.scan();
        assertThat(scanner.parseCount()).isEqualTo(3);
        assertThat(changed.changedFiles()).containsExactly("b.yaml");
        assertThat(changed.dags()).containsOnlyKeys("a", "b");
    }

    @Test
    void touchedButUnchangedFileIsNotReparsed() throws IOException {
        write("a.yaml", dag("a"));
        scanner.scan();
        Files.setLastModifiedTime(folder.resolve("a.yaml"), FileTime.fromMillis(clock.addAndGet(5_000)));

        DagFolderScan scan = scanner.scan();

        assertThat(scanner.parseCount()).isEqualTo(1);
        assertThat(scan.changedFiles()).isEmpty();
        assertThat(scan.dags()).containsOnlyKeys("a");
    }

    @Test
    void aDocFileIsWatchedLikeTheDagFileThatNamesIt() throws IOException {
        write("team/etl.yaml", dag("etl").replace("  tasks:", "  doc_md_file_path: docs/etl.md\n  tasks:"));
        write("team/docs/etl.md", "# One\n");
        write("other.yaml", dag("other"));
        assertThat(scanner.scan().dags().get("etl").docMd()).isEqualTo("# One\n");
        assertThat(scanner.parseCount()).isEqualTo(2);

        // untouched, or touched with the same content: nothing is parsed again
        assertThat(scanner.scan().changedFiles()).isEmpty();
        Files.setLastModifiedTime(folder.resolve("team/docs/etl.md"), FileTime.fromMillis(clock.addAndGet(5_000)));
        assertThat(scanner.scan().changedFiles()).isEmpty();
        assertThat(scanner.parseCount()).isEqualTo(2);

        write("team/docs/etl.md", "# Two\n");
        DagFolderScan edited = scanner.scan();
        assertThat(edited.changedFiles()).containsExactly("team/etl.yaml");
        assertThat(edited.dags().get("etl").docMd()).isEqualTo("# Two\n");
        assertThat(scanner.parseCount()).isEqualTo(3);
    }

    @Test
    void fixingAFileClearsItsError() throws IOException {
        write("a.yaml", "a:\n  tasks:\n    t: {operator: nope}\n");
        DagFolderScan broken = scanner.scan();
        assertThat(broken.dags()).isEmpty();
        assertThat(broken.importErrors()).containsOnlyKeys("a.yaml");
        assertThat(broken.importErrors().get("a.yaml").getFirst().line()).isEqualTo(3);

        write("a.yaml", dag("a"));
        DagFolderScan fixed = scanner.scan();
        assertThat(fixed.importErrors()).isEmpty();
        assertThat(fixed.dags()).containsOnlyKeys("a");
    }

    @Test
    void deletedFileTakesItsDagsAway() throws IOException {
        write("a.yaml", dag("a"));
        write("b.yaml", dag("b") + dag("b2"));
        scanner.scan();

        Files.delete(folder.resolve("b.yaml"));
        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("a");
        assertThat(scan.removedFiles()).containsExactly("b.yaml");
        assertThat(scanner.scan().removedFiles()).isEmpty();
    }

    @Test
    void duplicateDagIdAcrossFilesGoesToTheFirstFileInPathOrder() throws IOException {
        write("b.yaml", dag("shared"));
        write("a.yaml", "other:\n  tasks: {t: {operator: empty}}\n" + dag("shared"));

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags().get("shared").fileloc()).isEqualTo("a.yaml");
        assertThat(scan.dags()).containsOnlyKeys("shared", "other");
        assertThat(scan.importErrors()).containsOnlyKeys("b.yaml");
        ImportError error = scan.importErrors().get("b.yaml").getFirst();
        assertThat(error.message()).isEqualTo("DAG id 'shared' is already defined in a.yaml");
        assertThat(error.line()).isEqualTo(1);

        Files.delete(folder.resolve("a.yaml"));
        DagFolderScan after = scanner.scan();
        assertThat(after.dags().get("shared").fileloc()).isEqualTo("b.yaml");
        assertThat(after.importErrors()).isEmpty();
    }

    @Test
    void brokenFileDoesNotStopTheOthers() throws IOException {
        write("a.yaml", dag("a"));
        write("broken.yaml", "a: [unclosed\n");
        write("c.yaml", dag("c"));
        write("latin1.yaml", "");
        Files.write(folder.resolve("latin1.yaml"), new byte[] {'x', ':', ' ', (byte) 0xE9, '\n'});

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("a", "c");
        assertThat(scan.importErrors()).containsOnlyKeys("broken.yaml", "latin1.yaml");
        assertThat(scan.importErrors().get("broken.yaml").getFirst().message()).startsWith("invalid YAML");
        assertThat(scan.importErrors().get("latin1.yaml").getFirst().message()).contains("UTF-8");
    }

    @Test
    void fileTooLargeIsAnImportError() throws IOException {
        write("big.yaml", dag("big") + "# " + "x".repeat(10_000) + "\n");
        write("small.yaml", dag("small"));

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("small");
        ImportError error = scan.importErrors().get("big.yaml").getFirst();
        assertThat(error.message()).startsWith("file is ").contains("larger than the limit of 10000 bytes");
        assertThat(error.line()).isEqualTo(1);
    }

    @Test
    void followsSymbolicLinks(@TempDir Path elsewhere) throws IOException {
        Path target = elsewhere.resolve("linked.yaml");
        Files.writeString(target, dag("linked"));
        Files.createSymbolicLink(folder.resolve("linked.yaml"), target);

        assertThat(scanner.scan().dags()).containsOnlyKeys("linked");
    }

    @Test
    void missingFolderHasNoDags() {
        try (DagFolderScanner missing = new DagFolderScanner(folder.resolve("nope"))) {
            assertThat(missing.scan().dags()).isEmpty();
        }
    }

    /** The classic billion laughs: nine levels of ten aliases each, valid YAML of about a kilobyte. */
    private static String billionLaughs() {
        StringBuilder yaml =
                new StringBuilder("bomb:\n  params:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 9; level++) {
            String previous = "*l" + (level - 1);
            yaml.append("    l")
                    .append(level)
                    .append(": &l")
                    .append(level)
                    .append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, previous)))
                    .append("]\n");
        }
        return yaml.append("  tasks:\n    t: {operator: empty}\n").toString();
    }

    @Test
    @Timeout(60)
    void anAliasBombIsAnImportErrorAndTheOtherFilesStillLoad() throws IOException {
        write("a.yaml", dag("a"));
        write("bomb.yaml", billionLaughs());
        write("z.yaml", dag("z"));

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("a", "z");
        assertThat(scan.importErrors()).containsOnlyKeys("bomb.yaml");
        ImportError error = scan.importErrors().get("bomb.yaml").getFirst();
        assertThat(error.file()).isEqualTo("bomb.yaml");
        assertThat(error.message()).contains("more than " + DagFileParser.MAX_EXPANDED_NODES);
    }

    @Test
    void aSelfReferencingAliasIsAnImportError() throws IOException {
        write("a.yaml", dag("a"));
        write("loop.yaml", "loop:\n  params:\n    x: &x [1, *x]\n  tasks:\n    t: {operator: empty}\n");

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("a");
        assertThat(scan.importErrors().get("loop.yaml").getFirst().message()).contains("expand forever");
    }

    @Test
    void deepNestingIsAnImportErrorNotAStackOverflow() throws IOException {
        write("a.yaml", dag("a"));
        write(
                "deep.yaml",
                "deep:\n  params:\n    x: " + "[".repeat(5_000) + "]".repeat(5_000)
                        + "\n  tasks:\n    t: {operator: empty}\n");

        DagFolderScan scan = scanner.scan();

        assertThat(scan.dags()).containsOnlyKeys("a");
        assertThat(scan.importErrors()).containsOnlyKeys("deep.yaml");
    }
}
