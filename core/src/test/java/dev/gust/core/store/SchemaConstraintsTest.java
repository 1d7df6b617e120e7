package dev.gust.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaConstraintsTest {

    static TestDatabase db;
    static Jdbc jdbc;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create();
        jdbc = db.jdbc();
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @BeforeEach
    void aDag() {
        jdbc.update("DELETE FROM dag", Params.none());
        jdbc.update("""
                INSERT INTO dag (dag_id, fileloc, serialized_dag, version_hash)
                VALUES ('etl', '/dags/etl.yaml', '{}', 'h1')
                """, Params.none());
    }

    @Test
    void twoRunsOfOneDagCannotShareALogicalDate() {
        Instant date = Instant.parse("2026-01-01T00:00:00Z");
        insertRun("scheduled__1", date);

        assertThatThrownBy(() -> insertRun("manual__1", date))
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.isUniqueViolation()).isTrue());
    }

    @Test
    void twoRunsOfOneDagCannotShareARunId() {
        insertRun("r1", Instant.parse("2026-01-01T00:00:00Z"));

        assertThatThrownBy(() -> insertRun("r1", Instant.parse("2026-01-02T00:00:00Z")))
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.isUniqueViolation()).isTrue());
    }

    @Test
    void taskInstanceStatesAreAClosedSetAndNoneIsText() {
        insertRun("r1", Instant.parse("2026-01-01T00:00:00Z"));
        jdbc.update(
                "INSERT INTO task_instance (dag_id, run_id, task_id) VALUES ('etl', 'r1', 'extract')", Params.none());

        assertThat(jdbc.queryOne(
                        "SELECT state, map_index FROM task_instance WHERE task_id = 'extract'",
                        Params.none(),
                        row -> row.getString(1) + "/" + row.getInt(2)))
                .contains("none/-1");
        assertThatThrownBy(() -> jdbc.update(
                        "UPDATE task_instance SET state = 'exploded' WHERE task_id = 'extract'", Params.none()))
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.isCheckViolation()).isTrue());
        assertThatThrownBy(() ->
                        jdbc.update("UPDATE task_instance SET state = NULL WHERE task_id = 'extract'", Params.none()))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void dagRunStatesAreAClosedSet() {
        insertRun("r1", Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> jdbc.update("UPDATE dag_run SET state = 'up_for_retry'", Params.none()))
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.isCheckViolation()).isTrue());
    }

    @Test
    void deletingADagCascadesToRunsTaskInstancesLogsAndXcom() {
        insertRun("r1", Instant.parse("2026-01-01T00:00:00Z"));
        jdbc.update(
                "INSERT INTO task_instance (dag_id, run_id, task_id) VALUES ('etl', 'r1', 'extract')", Params.none());
        jdbc.update("""
                INSERT INTO task_log_chunk (dag_id, run_id, task_id, try_number, chunk_no, content)
                VALUES ('etl', 'r1', 'extract', 1, 0, 'hello')
                """, Params.none());
        jdbc.update("""
                INSERT INTO xcom (dag_id, run_id, task_id, key, value)
                VALUES ('etl', 'r1', 'extract', 'return_value', '42')
                """, Params.none());

        jdbc.update("DELETE FROM dag WHERE dag_id = 'etl'", Params.none());

        for (String table : new String[] {"dag_run", "task_instance", "task_log_chunk", "xcom"}) {
            assertThat(jdbc.queryOne("SELECT count(*) FROM " + table, Params.none(), row -> row.getInt(1)))
                    .as(table)
                    .contains(0);
        }
    }

    private static void insertRun(String runId, Instant logicalDate) {
        jdbc.update(
                """
                INSERT INTO dag_run (dag_id, run_id, logical_date, run_type, conf)
                VALUES ('etl', :runId, :logicalDate, 'scheduled', CAST(:conf AS jsonb))
                """, Params.of("runId", runId).and("logicalDate", logicalDate).and("conf", "{\"a\": 1}"));
    }
}
