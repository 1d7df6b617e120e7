package dev.gust.core.store.dags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DagRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    DagRepository dags;

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM dag", Params.none());
        dags = new DagRepository(db.jdbc());
    }

    @Test
    void aNewDagIsStoredPausedOrNotAsAsked() {
        assertThat(dags.upsert(record("etl", "/dags/etl.yaml", "h1"), true)).isTrue();
        assertThat(dags.upsert(record("report", "/dags/report.yaml", "h1"), false))
                .isTrue();

        StoredDag etl = dags.find("etl").orElseThrow();
        assertThat(etl.paused()).isTrue();
        assertThat(etl.active()).isTrue();
        assertThat(etl.tags()).containsExactly("finance", "daily");
        assertThat(etl.scheduleExpression()).isEqualTo("@daily");
        assertThat(etl.lastParsedAt()).isNotNull();
        assertThat(dags.find("report").orElseThrow().paused()).isFalse();
        assertThat(dags.serializedDag("etl"))
                .hasValueSatisfying(json -> assertThat(json).contains("\"tasks\""));
    }

    @Test
    void presentationSettingsAreStoredAndReadBack() {
        DagRecord plain = record("etl", "/dags/etl.yaml", "h1");
        DagRecord shown = new DagRecord(
                plain.dagId(),
                plain.fileloc(),
                plain.description(),
                plain.owners(),
                plain.tags(),
                plain.scheduleExpression(),
                plain.timetableDescription(),
                plain.maxActiveRuns(),
                plain.maxActiveTasks(),
                plain.serializedJson(),
                "h2",
                "ETL (daily)",
                "graph",
                java.util.Map.of("data-team", "https://wiki.example.com/data-team"));
        dags.upsert(plain, true);
        assertThat(dags.find("etl").orElseThrow().displayName()).isEqualTo("etl");
        assertThat(dags.find("etl").orElseThrow().ownerLinks()).isEmpty();

        dags.upsert(shown, true);
        StoredDag etl = dags.find("etl").orElseThrow();
        assertThat(etl.displayName()).isEqualTo("ETL (daily)");
        assertThat(etl.defaultView()).isEqualTo("graph");
        assertThat(etl.ownerLinks())
                .containsExactly(java.util.Map.entry("data-team", "https://wiki.example.com/data-team"));
    }

    @Test
    void anUnchangedHashWritesNothingAndAChangedOneUpdatesButKeepsThePausedFlag() {
        dags.upsert(record("etl", "/dags/etl.yaml", "h1"), true);
        dags.setPaused("etl", false);

        assertThat(dags.upsert(record("etl", "/dags/etl.yaml", "h1"), true)).isFalse();
        assertThat(dags.upsert(record("etl", "/dags/etl.yaml", "h2"), true)).isTrue();

        StoredDag etl = dags.find("etl").orElseThrow();
        assertThat(etl.versionHash()).isEqualTo("h2");
        assertThat(etl.paused()).isFalse();
    }

    @Test
    void dagsNoLongerDefinedByTheirFileBecomeInactiveAndComeBackWhenDefinedAgain() {
        dags.upsert(record("a", "/dags/ab.yaml", "h1"), true);
        dags.upsert(record("b", "/dags/ab.yaml", "h1"), true);
        dags.upsert(record("c", "/dags/c.yaml", "h1"), true);

        assertThat(dags.deactivateMissingFromFile("/dags/ab.yaml", List.of("a")))
                .isEqualTo(1);

        assertThat(dags.find("b").orElseThrow().active()).isFalse();
        assertThat(dags.listActive()).extracting(StoredDag::dagId).containsExactly("a", "c");
        assertThat(dags.list()).extracting(StoredDag::dagId).containsExactly("a", "b", "c");

        assertThat(dags.upsert(record("b", "/dags/ab.yaml", "h1"), true)).isTrue();
        assertThat(dags.find("b").orElseThrow().active()).isTrue();
    }

    @Test
    void dagsOfFilesThatDisappearedBecomeInactiveButKeepTheirHistory() {
        dags.upsert(record("a", "/dags/a.yaml", "h1"), true);
        dags.upsert(record("c", "/dags/c.yaml", "h1"), true);

        assertThat(dags.deactivateFilesOtherThan(List.of("/dags/a.yaml"))).isEqualTo(1);

        assertThat(dags.find("c"))
                .hasValueSatisfying(c -> assertThat(c.active()).isFalse());
        assertThat(dags.deactivateFilesOtherThan(List.of())).isEqualTo(1);
        assertThat(dags.listActive()).isEmpty();
    }

    @Test
    void aDagThatMovedToAnotherFileIsUpdatedEvenWithTheSameHash() {
        dags.upsert(record("a", "/dags/old.yaml", "h1"), true);
        assertThat(dags.upsert(record("a", "/dags/new.yaml", "h1"), true)).isTrue();
        assertThat(dags.find("a").orElseThrow().fileloc()).isEqualTo("/dags/new.yaml");
    }

    @Test
    void settingThePausedFlagOfAnUnknownDagReportsIt() {
        assertThat(dags.setPaused("nope", true)).isFalse();
    }

    private static DagRecord record(String dagId, String fileloc, String hash) {
        return new DagRecord(
                dagId,
                fileloc,
                "loads things",
                "data-team",
                List.of("finance", "daily"),
                "@daily",
                "At 00:00",
                1,
                16,
                "{\"dag_id\": \"" + dagId + "\", \"tasks\": []}",
                hash,
                null,
                null,
                null);
    }
}
