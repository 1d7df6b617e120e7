package dev.gust.core.dag.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagSerializer;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.importerrors.StoredImportError;
import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DagFolderSyncTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @TempDir
    Path folder;

    DagRepository dags;
    ImportErrorRepository errors;
    DagWarningRepository warnings;
    int touches;

    @BeforeEach
    void emptyTables() {
        db.jdbc().update("DELETE FROM dag", Params.none());
        db.jdbc().update("DELETE FROM import_error", Params.none());
        dags = new DagRepository(db.jdbc());
        errors = new ImportErrorRepository(db.jdbc());
        warnings = new DagWarningRepository(db.jdbc());
    }

    @Test
    void storesAndReplacesEachDagsWarningsAsItStoresTheDag() throws IOException {
        String unquoted =
                "w:\n  params: {x: a}\n  tasks:\n    t: {operator: bash, bash_command: 'echo {{ params.x }}'}\n";
        write("w.yaml", unquoted);
        write("etl.yaml", dag("etl", "extract"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(warnings.list()).singleElement().satisfies(w -> {
                assertThat(w.dagId()).isEqualTo("w");
                assertThat(w.warningType()).isEqualTo("unquoted shell interpolation");
                assertThat(w.message()).contains("{{ params.x }}");
            });
            assertThat(warnings.countsByDag()).containsExactly(Map.entry("w", 1));

            write("w.yaml", unquoted.replace("{{ params.x }}", "{{ params.x | sh }}"));
            sync.sync();
            assertThat(warnings.list()).isEmpty();

            write("w.yaml", unquoted);
            sync.sync();
            assertThat(warnings.listForDag("w")).hasSize(1);
        }
        // a new process (first sync) finds them again even though the DAG's row did not change
        db.jdbc().update("DELETE FROM dag_warning", Params.none());
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(warnings.listForDag("w")).hasSize(1);
        }
        db.jdbc().update("DELETE FROM dag WHERE dag_id = 'w'", Params.none());
        assertThat(db.jdbc().queryOne("SELECT count(*) FROM dag_warning", Params.none(), r -> r.getLong(1)))
                .contains(0L);
    }

    @Test
    void storesATimetablesExpressionAndDescriptionAndReadsItBack() throws IOException {
        write("trigger.yaml", """
                trigger:
                  start_date: 2024-01-01
                  schedule:
                    __type__: airflow.timetables.trigger.MultipleCronTriggerTimetable
                    __args__: ['0 6 * * *', '30 18 * * *']
                    timezone: Europe/Paris
                  tasks:
                    t: {operator: empty}
                events:
                  start_date: 2024-01-01
                  timetable:
                    __type__: airflow.timetables.events.EventsTimetable
                    event_dates: ['2024-03-01T08:00:00+00:00', '2024-03-02T08:00:00+00:00']
                    description: Games
                  tasks:
                    t: {operator: empty}
                """);
        try (DagFolderSync sync = sync()) {
            sync.sync();
        }

        StoredDag trigger = dags.find("trigger").orElseThrow();
        assertThat(trigger.scheduleExpression()).isEqualTo("0 6 * * *, 30 18 * * *");
        assertThat(trigger.timetableDescription()).endsWith("(Europe/Paris)").contains("; ");
        StoredDag events = dags.find("events").orElseThrow();
        assertThat(events.scheduleExpression()).isEqualTo("events: 2");
        assertThat(events.timetableDescription()).isEqualTo("Games");
        assertThat(new DagSerializer()
                        .fromJson(dags.serializedDag("trigger").orElseThrow())
                        .schedule())
                .isInstanceOf(dev.gust.core.dag.model.Schedule.CronTrigger.class);
    }

    @Test
    void aDefaultViewGustLacksIsAWarningAndPresentationSettingsReachTheRow() throws IOException {
        write(
                "v.yaml",
                "v:\n  default_view: gantt\n  dag_display_name: Vee\n"
                        + "  owner_links: {me: 'mailto:me@example.com'}\n  tasks:\n    t: {operator: empty}\n");
        try (DagFolderSync sync = sync()) {
            sync.sync();
        }
        assertThat(warnings.listForDag("v")).singleElement().satisfies(w -> {
            assertThat(w.warningType()).isEqualTo("default view unavailable");
            assertThat(w.message()).startsWith("default_view 'gantt' is a view Gust does not have");
        });
        var stored = dags.find("v").orElseThrow();
        assertThat(stored.displayName()).isEqualTo("Vee");
        assertThat(stored.defaultView()).isEqualTo("gantt");
        assertThat(stored.ownerLinks()).containsExactly(Map.entry("me", "mailto:me@example.com"));
    }

    @Test
    void isPausedUponCreationDecidesANewDagsFlagOnly() throws IOException {
        write("a.yaml", "a:\n  is_paused_upon_creation: false\n  tasks:\n    t: {operator: empty}\n");
        write("b.yaml", "b:\n  is_paused_upon_creation: true\n  tasks:\n    t: {operator: empty}\n");
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(dags.find("a").orElseThrow().paused()).isFalse();
            assertThat(dags.find("b").orElseThrow().paused()).isTrue();
            // as Airflow: the setting is for creation; an existing DAG keeps the flag people set
            dags.setPaused("b", false);
            write("b.yaml", "b:\n  is_paused_upon_creation: true\n  tasks:\n    t2: {operator: empty}\n");
            sync.sync();
            assertThat(dags.find("b").orElseThrow().paused()).isFalse();
        }
    }

    @Test
    void settingsGustDoesNotActOnAreStoredAsADagWarning() throws IOException {
        write("s.yaml", "s:\n  default_args: {sla: 1h}\n  tasks:\n    t: {operator: empty, queue: big}\n");
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(warnings.listForDag("s")).singleElement().satisfies(w -> {
                assertThat(w.warningType()).isEqualTo("ignored setting");
                assertThat(w.message()).contains("DAG 's', task 't': 'queue' is ignored");
            });
        }
    }

    @Test
    void storesDagsSerializedAndPausedByDefault() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        try (DagFolderSync sync = sync()) {
            DagFolderSync.SyncOutcome outcome = sync.sync();
            assertThat(outcome.dags()).isEqualTo(1);
            assertThat(outcome.dagsWritten()).isEqualTo(1);
        }
        StoredDag stored = dags.find("etl").orElseThrow();
        assertThat(stored.paused()).isTrue();
        assertThat(stored.active()).isTrue();
        assertThat(stored.fileloc()).isEqualTo("etl.yaml");
        assertThat(stored.scheduleExpression()).isEqualTo("@daily");
        assertThat(stored.maxActiveRuns()).isEqualTo(16);
        var fromDatabase =
                new DagSerializer().fromJson(dags.serializedDag("etl").orElseThrow());
        assertThat(fromDatabase.tasks()).extracting(t -> t.taskId()).containsExactly("extract");
    }

    @Test
    void unchangedFoldersWriteNothingAndChangesAreWritten() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(sync.sync().dagsWritten()).isZero();
            write("etl.yaml", dag("etl", "extract_v2"));
            assertThat(sync.sync().dagsWritten()).isEqualTo(1);
        }
        var fromDatabase =
                new DagSerializer().fromJson(dags.serializedDag("etl").orElseThrow());
        assertThat(fromDatabase.tasks()).extracting(t -> t.taskId()).containsExactly("extract_v2");
    }

    @Test
    void aResyncParsesAndWritesOnlyTheChangedRemovedAndBrokenFilesAndLeavesTheOtherDagsAlone() throws IOException {
        for (int i = 0; i < 30; i++) {
            write("dag_" + i + ".yaml", dag("dag_" + i, "task"));
        }
        DagFolderScanner scanner = new DagFolderScanner(folder);
        try (DagFolderSync sync = new DagFolderSync(
                scanner, dags, errors, warnings, GustConfig.defaults().core())) {
            sync.sync();
            Map<String, String> rowVersions = rowVersions();
            long parsed = scanner.parseCount();

            write("dag_1.yaml", dag("dag_1", "changed_task"));
            Files.delete(folder.resolve("dag_2.yaml"));
            write("dag_3.yaml", "dag_3:\n  tasks: [unclosed\n");
            DagFolderSync.SyncOutcome outcome = sync.sync();

            assertThat(scanner.parseCount() - parsed).as("files parsed again").isEqualTo(2);
            assertThat(outcome.dagsWritten()).isEqualTo(1);
            assertThat(outcome.dagsDeactivated()).isEqualTo(1);
            assertThat(new DagSerializer()
                            .fromJson(dags.serializedDag("dag_1").orElseThrow())
                            .tasks())
                    .extracting(t -> t.taskId())
                    .containsExactly("changed_task");
            assertThat(dags.find("dag_2").orElseThrow().active()).isFalse();
            assertThat(dags.find("dag_3").orElseThrow().active())
                    .as("a broken file keeps its last good version")
                    .isTrue();
            assertThat(errors.list()).extracting(StoredImportError::filename).containsExactly("dag_3.yaml");
            Map<String, String> after = rowVersions();
            for (String untouched : rowVersions.keySet()) {
                if (!List.of("dag_1", "dag_2").contains(untouched)) {
                    assertThat(after.get(untouched))
                            .as("the row of %s, whose file did not change", untouched)
                            .isEqualTo(rowVersions.get(untouched));
                }
            }
            assertThat(after.get("dag_1")).isNotEqualTo(rowVersions.get("dag_1"));

            assertThat(sync.sync().dagsWritten())
                    .as("a sync with nothing changed")
                    .isZero();
            assertThat(rowVersions()).isEqualTo(after);
        }
    }

    /** Each DAG row's version in PostgreSQL ({@code xmin}): any update of the row, even to equal values, changes it. */
    private Map<String, String> rowVersions() {
        Map<String, String> versions = new java.util.TreeMap<>();
        db.jdbc()
                .query(
                        "SELECT dag_id, xmin::text FROM dag",
                        Params.none(),
                        r -> Map.entry(r.getString(1), r.getString(2)))
                .forEach(e -> versions.put(e.getKey(), e.getValue()));
        return versions;
    }

    @Test
    void aBrokenFileIsAnImportErrorOthersLoadAndFixingClearsIt() throws IOException {
        write("good.yaml", dag("good", "a"));
        write("bad.yaml", "bad:\n  schedule: '61 * * * *'\n  tasks:\n    a:\n      operator: empty\n");
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(dags.find("good")).isPresent();
            assertThat(errors.list()).extracting(StoredImportError::filename).containsExactly("bad.yaml");
            assertThat(errors.list().getFirst().line()).isEqualTo(2);

            write("bad.yaml", dag("bad", "a"));
            sync.sync();
            assertThat(errors.list()).isEmpty();
            assertThat(dags.find("bad")).isPresent();
        }
    }

    @Test
    void editingADefaultsFileReloadsTheDagsBelowItAndAProblemInItIsStoredUnderIt() throws IOException {
        Files.createDirectories(folder.resolve("team"));
        write("team/defaults.yml", "default_args:\n  owner: before\nschedule: '@daily'\n");
        write(
                "team/etl.yaml",
                "etl:\n  default_args:\n    start_date: 2024-01-01\n  tasks:\n    t: {operator: empty}\n");
        write("other.yaml", dag("other", "x"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(dags.find("etl").orElseThrow().owners()).isEqualTo("before");
            assertThat(dags.find("etl").orElseThrow().scheduleExpression()).isEqualTo("@daily");

            write("team/defaults.yml", "default_args:\n  owner: after\nschedule: '@hourly'\n");
            DagFolderSync.SyncOutcome outcome = sync.sync();
            assertThat(outcome.dagsWritten()).isEqualTo(1);
            assertThat(dags.find("etl").orElseThrow().owners()).isEqualTo("after");
            assertThat(dags.find("etl").orElseThrow().scheduleExpression()).isEqualTo("@hourly");

            write("team/defaults.yml", "default_args:\n  owner: after\nschedule: '@hourly'\nno_such_setting: 1\n");
            sync.sync();
            assertThat(errors.list())
                    .extracting(StoredImportError::filename, StoredImportError::line)
                    .containsExactlyInAnyOrder(tuple("team/defaults.yml", 4), tuple("team/etl.yaml", 1));
            // the broken inheritance keeps the last good version running, as a broken edit of the DAG file would
            assertThat(dags.find("etl").orElseThrow().active()).isTrue();
            assertThat(dags.find("etl").orElseThrow().owners()).isEqualTo("after");

            write("team/defaults.yml", "default_args:\n  owner: fixed\n");
            sync.sync();
            assertThat(errors.list()).isEmpty();
            assertThat(dags.find("etl").orElseThrow().owners()).isEqualTo("fixed");
        }
    }

    @Test
    void editingOnlyADagsDocFileReloadsTheDag() throws IOException {
        Files.createDirectories(folder.resolve("team/docs"));
        write("team/docs/etl.md", "# Before\n");
        write(
                "team/etl.yaml",
                "etl:\n  doc_md_file_path: docs/etl.md\n  schedule: null\n  tasks:\n    t: {operator: empty}\n");
        write("other.yaml", dag("other", "x"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(docMd("etl")).isEqualTo("# Before\n");
            assertThat(sync.sync().dagsWritten()).isZero();

            write("team/docs/etl.md", "# After\n");
            DagFolderSync.SyncOutcome outcome = sync.sync();
            assertThat(outcome.dagsWritten()).isEqualTo(1);
            assertThat(docMd("etl")).isEqualTo("# After\n");
            assertThat(sync.sync().dagsWritten()).isZero();

            // the file going is an import error (the last good version stays); its coming back loads it again
            Files.delete(folder.resolve("team/docs/etl.md"));
            sync.sync();
            assertThat(errors.list()).extracting(StoredImportError::filename).containsExactly("team/etl.yaml");
            assertThat(errors.list().getFirst().message())
                    .contains("docs/etl.md")
                    .contains("does not exist");
            write("team/docs/etl.md", "# Back\n");
            sync.sync();
            assertThat(errors.list()).isEmpty();
            assertThat(docMd("etl")).isEqualTo("# Back\n");
        }
    }

    private String docMd(String dagId) {
        return new DagSerializer()
                .fromJson(dags.serializedDag(dagId).orElseThrow())
                .docMd();
    }

    @Test
    void aBrokenEditKeepsTheLastGoodVersionActive() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
            write("etl.yaml", "etl:\n  tasks: [unclosed\n");
            sync.sync();
        }
        assertThat(dags.find("etl").orElseThrow().active()).isTrue();
        assertThat(errors.list()).hasSize(1);
    }

    @Test
    void aDeletedFileMarksItsDagsInactiveKeepingThem() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        write("other.yaml", dag("other", "x"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
            Files.delete(folder.resolve("etl.yaml"));
            DagFolderSync.SyncOutcome outcome = sync.sync();
            assertThat(outcome.dagsDeactivated()).isEqualTo(1);
        }
        assertThat(dags.find("etl").orElseThrow().active()).isFalse();
        assertThat(dags.find("other").orElseThrow().active()).isTrue();
    }

    @Test
    void aNewProcessDeactivatesDagsOfFilesDeletedWhileNoneRan() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
        }
        Files.delete(folder.resolve("etl.yaml"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
        }
        assertThat(dags.find("etl").orElseThrow().active()).isFalse();
    }

    @Test
    void aDagThatComesBackIsActiveAgainAndKeepsItsPausedFlag() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
            dags.setPaused("etl", false);
            Files.delete(folder.resolve("etl.yaml"));
            sync.sync();
            write("etl.yaml", dag("etl", "extract"));
            sync.sync();
        }
        StoredDag etl = dags.find("etl").orElseThrow();
        assertThat(etl.active()).isTrue();
        assertThat(etl.paused()).isFalse();
    }

    @Test
    void aMissingFolderIsAnErrorAndDeactivatesNothing() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        try (DagFolderSync sync = sync()) {
            sync.sync();
        }
        GustConfig.Core core = GustConfig.defaults().core();
        try (DagFolderSync sync =
                new DagFolderSync(new DagFolderScanner(folder.resolve("gone")), dags, errors, warnings, core)) {
            assertThatThrownBy(sync::sync)
                    .isInstanceOf(DagFolderMissingException.class)
                    .hasMessageContaining("does not exist");
        }
        assertThat(dags.find("etl").orElseThrow().active()).isTrue();
    }

    @Test
    void storeWritesOneDagParsedElsewhereWithItsWarningsAndLeavesTheFolderAlone() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        String unquoted =
                "w:\n  params: {x: a}\n  tasks:\n    t: {operator: bash, bash_command: 'echo {{ params.x }}'}\n";
        try (DagFolderSync sync = sync()) {
            sync.sync();
            // w.yaml is not in the folder: store() takes the DAG as given (gust dags test parses it itself)
            sync.store(new DagFileParser().parse("w.yaml", unquoted).dags().getFirst());
            assertThat(dags.find("w")).hasValueSatisfying(w -> {
                assertThat(w.paused()).isTrue();
                assertThat(w.active()).isTrue();
                assertThat(w.fileloc()).isEqualTo("w.yaml");
            });
            assertThat(warnings.listForDag("w")).hasSize(1);
            assertThat(dags.find("etl"))
                    .hasValueSatisfying(etl -> assertThat(etl.active()).isTrue());

            dags.setPaused("w", false);
            sync.store(new DagFileParser()
                    .parse("w.yaml", unquoted.replace("{{ params.x }}", "{{ params.x | sh }}"))
                    .dags()
                    .getFirst());
            assertThat(dags.serializedDag("w"))
                    .hasValueSatisfying(json -> assertThat(json).contains("params.x | sh"));
            assertThat(dags.find("w"))
                    .hasValueSatisfying(w -> assertThat(w.paused())
                            .as("an existing DAG keeps its paused flag")
                            .isFalse());
            assertThat(warnings.listForDag("w")).isEmpty();
        }
    }

    void recordsTheBundleVersionEachDagWasLastParsedFromAndNoneForAPlainFolder() throws IOException {
        write("etl.yaml", dag("etl", "extract"));
        write("report.yaml", dag("report", "render"));
        try (DagFolderSync sync = sync()) {
            sync.sync("20260101T000000Z-aaaa");
            assertThat(bundleVersions())
                    .containsExactly(
                            Map.entry("etl", "20260101T000000Z-aaaa"), Map.entry("report", "20260101T000000Z-aaaa"));

            // a new bundle version: the unchanged DAG comes from it too, a new DAG as well
            write("more.yaml", dag("more", "t"));
            sync.sync("20260102T000000Z-bbbb");
            assertThat(bundleVersions())
                    .containsOnly(
                            Map.entry("etl", "20260102T000000Z-bbbb"),
                            Map.entry("report", "20260102T000000Z-bbbb"),
                            Map.entry("more", "20260102T000000Z-bbbb"));

            // a broken file keeps its DAG's last good definition, and the version that came from
            write("report.yaml", "report: [not, a, dag");
            sync.sync("20260103T000000Z-cccc");
            assertThat(bundleVersions())
                    .containsEntry("etl", "20260103T000000Z-cccc")
                    .containsEntry("report", "20260102T000000Z-bbbb");
        }
        // the folder used as it is (standalone): no bundle version
        try (DagFolderSync sync = sync()) {
            sync.sync();
            assertThat(bundleVersions()).containsEntry("etl", null).containsEntry("more", null);
        }
    }

    private Map<String, String> bundleVersions() {
        Map<String, String> versions = new java.util.TreeMap<>();
        dags.list().forEach(d -> versions.put(d.dagId(), d.bundleVersion()));
        return versions;
    }

    private DagFolderSync sync() {
        return new DagFolderSync(
                new DagFolderScanner(folder),
                dags,
                errors,
                warnings,
                GustConfig.defaults().core());
    }

    private static String dag(String id, String task) {
        return id + ":\n  schedule: '@daily'\n  default_args:\n    start_date: 2024-01-01\n  tasks:\n    " + task
                + ":\n      operator: bash\n      bash_command: echo hi\n";
    }

    /** Writes a file with a distinct modification time, so the scanner sees every change. */
    private void write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, content);
        Files.setLastModifiedTime(
                file, FileTime.from(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(++touches)));
    }
}
