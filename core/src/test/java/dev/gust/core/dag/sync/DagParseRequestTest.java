package dev.gust.core.dag.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagDeletion;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web server asks the scheduler's DAG folder sync to parse a file again through a
 * {@code dag_parse_request} row (Airflow's {@code PUT /parseDagFile}): the running sync, which
 * skips files it has seen unchanged, parses that one again and stores its DAGs as new, so a DAG
 * deleted through the API comes back (without its history) while its file is still there.
 */
class DagParseRequestTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @TempDir
    Path folder;

    DagRepository dags;

    @BeforeEach
    void emptyTables() {
        db.jdbc().update("DELETE FROM dag", Params.none());
        db.jdbc().update("DELETE FROM dag_parse_request", Params.none());
        dags = new DagRepository(db.jdbc());
    }

    @Test
    void aRequestedFileIsParsedAgainAndBringsBackItsDeletedDag() throws IOException {
        Files.writeString(
                folder.resolve("etl.yaml"),
                "etl:\n  schedule: '@daily'\n  default_args: {start_date: 2024-01-01}\n  tasks:\n"
                        + "    t: {operator: bash, bash_command: echo hi}\n");
        DagFolderScanner scanner = new DagFolderScanner(folder);
        try (DagFolderSync sync = new DagFolderSync(
                scanner,
                dags,
                new ImportErrorRepository(db.jdbc()),
                new DagWarningRepository(db.jdbc()),
                GustConfig.defaults().core())) {
            sync.sync();
            String fileloc = dags.find("etl").orElseThrow().fileloc();
            long parses = scanner.parseCount();

            assertThat(new DagDeletion(db.jdbc()).delete("etl")).isEqualTo(DagDeletion.Outcome.DELETED);
            sync.sync();
            assertThat(dags.find("etl"))
                    .as("an unchanged file is not parsed again")
                    .isEmpty();
            assertThat(scanner.parseCount()).isEqualTo(parses);

            dags.requestReparse(fileloc);
            sync.sync();
            assertThat(scanner.parseCount()).isEqualTo(parses + 1);
            assertThat(dags.find("etl")).isPresent();
            assertThat(dags.takeReparseRequests())
                    .as("each request is answered once")
                    .isEmpty();
        }
    }
}
