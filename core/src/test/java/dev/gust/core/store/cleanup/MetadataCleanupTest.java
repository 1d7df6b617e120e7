package dev.gust.core.store.cleanup;

import static dev.gust.core.store.cleanup.CleanupFixture.BEFORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetadataCleanupTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    static final Instant STARTED = Instant.parse("2026-02-15T10:20:30Z");

    Jdbc jdbc;
    MetadataCleanup cleanup;

    @BeforeEach
    void loadFixture() {
        jdbc = db.jdbc();
        cleanup = new MetadataCleanup(jdbc);
        CleanupFixture.reset(jdbc);
        CleanupFixture.load(jdbc);
        CleanupFixture.snapshot(jdbc);
    }

    @Test
    void purgesWhatIsOlderButKeepsTheLatestScheduledRunOfEachDagAndEveryUnfinishedRun() {
        Map<String, Long> dryRun = new LinkedHashMap<>();
        CleanedTables.all().forEach(table -> dryRun.put(table.name(), cleanup.count(table, BEFORE)));

        List<TableCleanup> outcomes = cleanup.clean(request(CleanedTables.all(), false, 7), CleanupProgress.SILENT);

        assertThat(runs())
                .containsExactlyInAnyOrder(
                        "daily/manual__38",
                        "daily/scheduled__30",
                        "daily/scheduled__31",
                        "daily/scheduled__32",
                        "daily/scheduled__33",
                        "daily/scheduled__34",
                        "daily/scheduled__35",
                        "daily/scheduled__36",
                        "daily/scheduled__37",
                        "daily/scheduled__38",
                        "daily/scheduled__39",
                        // the latest scheduled run of a DAG that has not run since, so that scheduling continues
                        "stale/scheduled__9",
                        // still running (it started before the cut-off, as did its finished tasks)
                        "busy/scheduled__3");
        // Every remaining run keeps all its task instances (4 each), and their logs and XComs; no other remains.
        assertThat(count("SELECT DISTINCT dag_id, run_id FROM task_instance")).isEqualTo(13);
        assertThat(count("SELECT * FROM task_instance")).isEqualTo(13 * 4);
        assertThat(count("SELECT * FROM xcom")).isEqualTo(12 * 3 + 2);
        assertThat(count("SELECT * FROM task_log_chunk")).isEqualTo(12 * 3 + 2);
        assertThat(count("SELECT * FROM xcom x LEFT JOIN dag_run r USING (dag_id, run_id) WHERE r.id IS NULL"))
                .isZero();
        assertThat(strings("SELECT to_char(dttm, 'DD') AS v FROM log ORDER BY dttm"))
                .containsExactly("31", "01", "02", "03", "04", "05", "06", "07", "08", "09");
        assertThat(strings("SELECT hostname AS v FROM job ORDER BY id")).containsExactly("recent", "live");
        assertThat(strings("SELECT filename AS v FROM import_error")).containsExactly("/dags/new.yaml");
        assertThat(strings("SELECT id_hash AS v FROM web_session")).containsExactly("session-35");
        assertThat(count("SELECT * FROM login_failure")).isEqualTo(1);
        // Dataset events: a run's links go with it; an old event goes once no kept run links to it
        // (the running busy run keeps day 1's, the kept stale run day 9's); the queue is not cleaned.
        assertThat(count("SELECT * FROM dagrun_dataset_event")).isEqualTo(10 + 2);
        assertThat(count("SELECT * FROM dagrun_dataset_event l LEFT JOIN dag_run r ON r.id = l.dag_run_id"
                        + " WHERE r.id IS NULL"))
                .isZero();
        assertThat(strings("SELECT source_run_id AS v FROM dataset_event ORDER BY id"))
                .containsExactly(
                        "scheduled__1",
                        "scheduled__9",
                        "scheduled__30",
                        "scheduled__31",
                        "scheduled__32",
                        "scheduled__33",
                        "scheduled__34",
                        "scheduled__35",
                        "scheduled__36",
                        "scheduled__37",
                        "scheduled__38",
                        "scheduled__39");
        assertThat(count("SELECT * FROM dataset_dag_run_queue")).isEqualTo(1);

        // Each archive holds exactly the rows its table lost, and the dry run counted them.
        for (TableCleanup outcome : outcomes) {
            String table = outcome.table();
            String lost = "SELECT * FROM snapshot_" + table + " EXCEPT ALL SELECT * FROM " + table;
            assertThat(outcome.deleted()).as(table).isEqualTo(count(lost)).isEqualTo(dryRun.get(table));
            assertThat(outcome.candidates()).as(table).isEqualTo(outcome.deleted());
            assertThat(outcome.archive()).as(table).isEqualTo("_gust_archive_" + table + "_20260215102030");
            String archive = "SELECT * FROM " + outcome.archive();
            assertThat(count(archive)).as(table).isEqualTo(outcome.deleted());
            assertThat(count(archive + " EXCEPT ALL (" + lost + ")")).as(table).isZero();
            assertThat(count("(" + lost + ") EXCEPT ALL " + archive)).as(table).isZero();
            assertThat(outcome.batches()).as(table).isEqualTo((int) Math.ceilDiv(outcome.deleted(), 7));
        }
        assertThat(outcomes).extracting(TableCleanup::deleted).allMatch(deleted -> deleted > 0);
        assertThat(cleanup.archiveTables(List.of())).hasSize(11);
        assertThat(cleanup.archiveTables(List.of("xcom"))).containsExactly("_gust_archive_xcom_20260215102030");

        // A second clean finds nothing more.
        assertThat(cleanup.clean(request(CleanedTables.all(), false, 7), CleanupProgress.SILENT))
                .extracting(TableCleanup::candidates)
                .containsOnly(0L);
    }

    @Test
    void countingChangesNothingAndSkippingTheArchiveLeavesNoTable() {
        Map<String, Long> before = sizes();
        CleanedTables.all().forEach(table -> cleanup.count(table, BEFORE));
        assertThat(sizes()).isEqualTo(before);

        List<TableCleanup> outcomes = cleanup.clean(request(CleanedTables.all(), true, 10_000), CleanupProgress.SILENT);
        assertThat(outcomes).extracting(TableCleanup::archive).containsOnlyNulls();
        assertThat(outcomes).extracting(TableCleanup::batches).containsOnly(1);
        assertThat(cleanup.archiveTables(List.of())).isEmpty();
        assertThat(count("SELECT * FROM dag_run")).isEqualTo(13);
    }

    @Test
    void tablesLimitTheCleanToThemAndTheRowsThatGoWithTheirs() {
        Map<String, Long> before = sizes();
        cleanup.clean(request(CleanedTables.selection(List.of("log")), false, 100), CleanupProgress.SILENT);
        Map<String, Long> afterLog = sizes();
        assertThat(afterLog.get("log")).isEqualTo(10);
        afterLog.remove("log");
        before.remove("log");
        assertThat(afterLog).isEqualTo(before);

        assertThat(CleanedTables.selection(List.of("task_instance")))
                .extracting(CleanedTable::name)
                .containsExactly("xcom", "task_log_chunk", "task_instance");
        cleanup.clean(request(CleanedTables.selection(List.of("task_instance")), false, 100), CleanupProgress.SILENT);
        Map<String, Long> afterTasks = sizes();
        assertThat(afterTasks.get("task_instance")).isEqualTo(13 * 4);
        assertThat(afterTasks.get("dag_run")).isEqualTo(before.get("dag_run"));
        assertThat(afterTasks.get("job")).isEqualTo(before.get("job"));
        // The runs are left for a clean of dag_run.
        assertThat(cleanup.count(CleanedTables.named("dag_run").orElseThrow(), BEFORE))
                .isEqualTo(before.get("dag_run") - 13);

        // Cleaning dataset events alone takes the links of old runs with them, and keeps the runs.
        assertThat(CleanedTables.selection(List.of("dataset_event")))
                .extracting(CleanedTable::name)
                .containsExactly("dagrun_dataset_event", "dataset_event");
        cleanup.clean(request(CleanedTables.selection(List.of("dataset_event")), false, 100), CleanupProgress.SILENT);
        assertThat(count("SELECT * FROM dataset_event")).isEqualTo(12);
        assertThat(count("SELECT * FROM dagrun_dataset_event")).isEqualTo(12);
        assertThat(sizes().get("dag_run")).isEqualTo(before.get("dag_run"));

        assertThatThrownBy(() -> CleanedTables.selection(List.of("dag")))
                .hasMessage("unknown table 'dag'; choose among xcom, task_log_chunk, task_instance,"
                        + " dagrun_dataset_event, dag_run, dataset_event, log, job, import_error, web_session,"
                        + " login_failure");
    }

    @Test
    void aRowLockedByAnotherTransactionIsSkippedNotWaitedFor() throws Exception {
        try (Connection scheduler = db.dataSource().getConnection()) {
            scheduler.setAutoCommit(false);
            try (Statement statement = scheduler.createStatement()) {
                statement.execute("SELECT * FROM task_instance WHERE dag_id = 'daily' AND run_id = 'scheduled__4'"
                        + " AND task_id = 'load' FOR UPDATE");
                long started = System.nanoTime();
                cleanup.clean(request(CleanedTables.all(), false, 5), CleanupProgress.SILENT);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            } finally {
                scheduler.rollback();
            }
        }
        // The locked task instance and its run stay for the next clean; its XCom and log line went.
        assertThat(runs()).contains("daily/scheduled__4").doesNotContain("daily/scheduled__3", "daily/scheduled__5");
        assertThat(count("SELECT * FROM task_instance WHERE run_id = 'scheduled__4' AND dag_id = 'daily'"))
                .isEqualTo(1);
        assertThat(count("SELECT * FROM xcom WHERE run_id = 'scheduled__4' AND dag_id = 'daily'"))
                .isZero();

        List<TableCleanup> next = cleanup.clean(
                new CleanupRequest(
                        BEFORE,
                        CleanedTables.all(),
                        false,
                        5,
                        CleanupRequest.DEFAULT_LOCK_TIMEOUT,
                        STARTED.plusSeconds(60)),
                CleanupProgress.SILENT);
        assertThat(next)
                .filteredOn(o -> o.deleted() > 0)
                .extracting(TableCleanup::table)
                .containsExactly("task_instance", "dag_run");
        assertThat(runs()).doesNotContain("daily/scheduled__4");
    }

    /**
     * While a clean of many small batches runs, a writer doing what the scheduler does (creating
     * runs and task instances, moving the tasks of the running run through their states) in short
     * transactions, each allowed to wait at most 500 ms for a lock, is never refused one, and its
     * rows are all there afterwards.
     */
    @Test
    void theSchedulerKeepsWritingWhileACleanRuns() throws Exception {
        jdbc.update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type, start_date, end_date)
                SELECT 'daily', 'backfill__' || d, :t0 - d * interval '1 hour', 'success', 'backfill',
                       :t0 - d * interval '1 hour', :t0 - d * interval '1 hour'
                  FROM generate_series(1, 300) d""", Params.of("t0", CleanupFixture.T0));
        jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, start_date)
                SELECT r.dag_id, r.run_id, 'task_' || n, 'success', 1, r.start_date
                  FROM dag_run r CROSS JOIN generate_series(1, 20) n WHERE r.run_type = 'backfill'""", Params.none());
        AtomicBoolean cleaning = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        AtomicLong slowest = new AtomicLong();
        CompletableFuture<Void> scheduler = CompletableFuture.runAsync(() -> {
            int n = 0;
            while (cleaning.get()) {
                n++;
                String runId = "scheduled__live_" + n;
                long started = System.nanoTime();
                jdbc.inTransaction(tx -> {
                    tx.update("SET LOCAL lock_timeout = '500ms'", Params.none());
                    tx.update("""
                            INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type, start_date)
                            VALUES ('daily', :runId, now() + make_interval(secs => :n), 'running', 'scheduled', now())""", Params.of("runId", runId).and("n", (double) written.get() + 1));
                    tx.update("""
                            INSERT INTO task_instance (dag_id, run_id, task_id, state)
                            VALUES ('daily', :runId, 'extract', 'scheduled'), ('daily', :runId, 'load', 'none')""", Params.of("runId", runId));
                    tx.update("""
                            UPDATE task_instance SET state = CASE WHEN state = 'running' THEN 'scheduled' ELSE 'running' END,
                                   updated_at = now()
                             WHERE dag_id = 'busy' AND run_id = 'scheduled__3' AND task_id = 'transform'""", Params.none());
                    tx.update(
                            "UPDATE dag_run SET updated_at = now() WHERE dag_id = 'busy' AND run_id = 'scheduled__3'",
                            Params.none());
                    return null;
                });
                slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
                written.incrementAndGet();
            }
        });
        List<TableCleanup> outcomes;
        try {
            Thread.sleep(100);
            outcomes = cleanup.clean(request(CleanedTables.all(), false, 50), CleanupProgress.SILENT);
        } finally {
            cleaning.set(false);
        }
        scheduler.get(30, TimeUnit.SECONDS); // rethrows the writer's failure, a lock timeout included
        assertThat(outcomes).extracting(TableCleanup::batches).anyMatch(batches -> batches > 100);
        assertThat(written.get()).isGreaterThan(10);
        assertThat(count("SELECT * FROM dag_run WHERE run_id LIKE 'scheduled__live_%'"))
                .isEqualTo(written.get());
        assertThat(count("SELECT * FROM task_instance WHERE run_id LIKE 'scheduled__live_%'"))
                .isEqualTo(2L * written.get());
        assertThat(count("SELECT * FROM dag_run WHERE run_type = 'backfill'")).isZero();
        assertThat(Duration.ofNanos(slowest.get())).isLessThan(Duration.ofSeconds(5));
    }

    private CleanupRequest request(List<CleanedTable> tables, boolean skipArchive, int batchSize) {
        return new CleanupRequest(BEFORE, tables, skipArchive, batchSize, CleanupRequest.DEFAULT_LOCK_TIMEOUT, STARTED);
    }

    private List<String> runs() {
        return strings("SELECT dag_id || '/' || run_id AS v FROM dag_run");
    }

    private List<String> strings(String sql) {
        return jdbc.query(sql, Params.none(), row -> row.getString("v"));
    }

    private long count(String sql) {
        return CleanupFixture.count(jdbc, sql);
    }

    private Map<String, Long> sizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String table : CleanupFixture.TABLES) {
            sizes.put(table, count("SELECT * FROM " + table));
        }
        return sizes;
    }
}
