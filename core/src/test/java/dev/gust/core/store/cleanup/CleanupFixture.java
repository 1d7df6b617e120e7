package dev.gust.core.store.cleanup;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;
import java.util.List;

/**
 * A metadata database as a month and ten days of scheduling leave it, day 0 being {@link #T0}:
 *
 * <ul>
 *   <li>{@code daily}: a scheduled run a day (days 0 to 39, started at 06:00), manual runs on days 2
 *       and 38; in each run three tasks that ran (each with a log line and an XCom) and one skipped
 *       that never started; the {@code load} task of day 29 was retried two days later.
 *   <li>{@code stale}: scheduled runs on days 0 to 9 only, and a manual run on day 20.
 *   <li>{@code busy}: a failed run on day 1 and a run started on day 3 that is still running.
 *   <li>a row a day in the audit log; jobs, import errors, web sessions and login failures on old
 *       and new days.
 *   <li>a dataset updated every day at 05:00 (days 0 to 39), each {@code daily} scheduled run linked
 *       to that day's event as if it triggered it, the running {@code busy} run to day 1's and the
 *       kept {@code stale/scheduled__9} to day 9's; a consumer's queue row from day 2.
 * </ul>
 *
 * The tests clean before {@link #BEFORE}, day 30.
 */
public final class CleanupFixture {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant BEFORE = Instant.parse("2026-01-31T00:00:00Z");

    public static final List<String> TABLES = List.of(
            "dag_run",
            "dagrun_dataset_event",
            "dataset_event",
            "task_instance",
            "task_log_chunk",
            "xcom",
            "log",
            "job",
            "import_error",
            "web_session",
            "login_failure");

    private CleanupFixture() {}

    public static void load(Jdbc jdbc) {
        Params t0 = Params.of("t0", T0);
        jdbc.update("""
                INSERT INTO dag (dag_id, fileloc, serialized_dag, version_hash)
                VALUES ('daily', '/dags/daily.yaml', '{}', 'h1'), ('stale', '/dags/stale.yaml', '{}', 'h2'),
                       ('busy', '/dags/busy.yaml', '{}', 'h3')""", Params.none());
        jdbc.update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type, start_date, end_date)
                SELECT dag_id, 'scheduled__' || d, :t0 + d * interval '1 day', state, 'scheduled',
                       :t0 + d * interval '1 day' + interval '6 hours',
                       CASE WHEN state = 'running' THEN NULL
                            ELSE :t0 + d * interval '1 day' + interval '7 hours' END
                  FROM (SELECT 'daily' AS dag_id, d, 'success' AS state FROM generate_series(0, 39) d
                        UNION ALL SELECT 'stale', d, 'success' FROM generate_series(0, 9) d
                        UNION ALL VALUES ('busy', 1, 'failed'), ('busy', 3, 'running')) runs""", t0);
        jdbc.update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type, external_trigger,
                                     start_date, end_date)
                SELECT dag_id, 'manual__' || d, :t0 + d * interval '1 day' + interval '12 hours', 'success', 'manual',
                       true, :t0 + d * interval '1 day' + interval '12 hours',
                       :t0 + d * interval '1 day' + interval '13 hours'
                  FROM (VALUES ('daily', 2), ('daily', 38), ('stale', 20)) manual(dag_id, d)""", t0);
        jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, start_date, end_date)
                SELECT r.dag_id, r.run_id, t.task_id,
                       CASE WHEN t.n = 0 THEN 'skipped'
                            WHEN r.state = 'running' AND t.n = 2 THEN 'running'
                            WHEN r.state = 'running' AND t.n = 3 THEN 'scheduled'
                            ELSE 'success' END,
                       CASE WHEN t.n = 0 OR (r.state = 'running' AND t.n = 3) THEN 0 ELSE 1 END,
                       CASE WHEN t.n = 0 OR (r.state = 'running' AND t.n = 3) THEN NULL
                            ELSE r.start_date + t.n * interval '10 minutes' END,
                       CASE WHEN t.n = 0 OR r.state = 'running' THEN NULL
                            ELSE r.start_date + t.n * interval '10 minutes' + interval '5 minutes' END
                  FROM dag_run r
                 CROSS JOIN (VALUES ('cleanup', 0), ('extract', 1), ('transform', 2), ('load', 3)) t(task_id, n)""", Params.none());
        jdbc.update("""
                UPDATE task_instance SET try_number = 2, start_date = start_date + interval '2 days',
                       end_date = end_date + interval '2 days'
                 WHERE dag_id = 'daily' AND run_id = 'scheduled__29' AND task_id = 'load'""", Params.none());
        jdbc.update("""
                INSERT INTO task_log_chunk (dag_id, run_id, task_id, map_index, try_number, chunk_no, content, created_at)
                SELECT dag_id, run_id, task_id, map_index, try_number, 0, 'log of ' || task_id, start_date
                  FROM task_instance WHERE start_date IS NOT NULL""", Params.none());
        jdbc.update("""
                INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value, created_at)
                SELECT dag_id, run_id, task_id, map_index, 'return_value', to_jsonb(task_id), start_date
                  FROM task_instance WHERE start_date IS NOT NULL""", Params.none());
        jdbc.update("""
                INSERT INTO log (dttm, dag_id, event, owner)
                SELECT :t0 + d * interval '1 day', 'daily', 'trigger', 'admin' FROM generate_series(0, 39) d""", t0);
        jdbc.update("""
                INSERT INTO job (job_type, state, hostname, start_date, end_date, latest_heartbeat)
                VALUES ('scheduler', 'success', 'old', :t0, :t0 + interval '5 days', :t0 + interval '5 days'),
                       ('scheduler', 'failed', 'recent', :t0, :t0 + interval '35 days', :t0 + interval '35 days'),
                       ('scheduler', 'running', 'live', :t0, NULL, now())""", t0);
        jdbc.update("""
                INSERT INTO import_error (filename, message, timestamp)
                VALUES ('/dags/old.yaml', 'bad', :t0 + interval '10 days'),
                       ('/dags/new.yaml', 'bad', :t0 + interval '35 days')""", t0);
        jdbc.update("INSERT INTO dataset (uri) VALUES ('s3://bucket/daily')", Params.none());
        jdbc.update("""
                INSERT INTO dataset_event (dataset_id, source_dag_id, source_run_id, source_task_id, timestamp)
                SELECT (SELECT id FROM dataset), 'daily', 'scheduled__' || d, 'load',
                       :t0 + d * interval '1 day' + interval '5 hours'
                  FROM generate_series(0, 39) d ORDER BY d""", t0);
        jdbc.update("""
                INSERT INTO dagrun_dataset_event (dag_run_id, event_id)
                SELECT r.id, e.id FROM dag_run r JOIN dataset_event e ON e.source_run_id = r.run_id
                 WHERE r.dag_id = 'daily' AND r.run_type = 'scheduled'
                UNION ALL
                SELECT r.id, e.id FROM dag_run r JOIN dataset_event e
                    ON (r.dag_id, r.run_id, e.source_run_id) IN (('busy', 'scheduled__3', 'scheduled__1'),
                                                                   ('stale', 'scheduled__9', 'scheduled__9'))""", Params.none());
        jdbc.update("""
                INSERT INTO dataset_dag_run_queue (dataset_id, target_dag_id, created_at)
                VALUES ((SELECT id FROM dataset), 'stale', :t0 + interval '2 days')""", t0);
        jdbc.update("INSERT INTO app_user (username, password_hash, role) VALUES ('ada', 'x', 'admin')", Params.none());
        jdbc.update("""
                INSERT INTO web_session (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
                SELECT 'session-' || d, (SELECT id FROM app_user), 'csrf', :t0 + d * interval '1 day',
                       :t0 + d * interval '1 day', :t0 + d * interval '1 day' + interval '12 hours'
                  FROM (VALUES (10), (35)) days(d)""", t0);
        jdbc.update("""
                INSERT INTO login_failure (username, client_ip, failed_at)
                VALUES ('ada', '10.0.0.1', :t0 + interval '1 day'), ('ada', '10.0.0.1', :t0 + interval '33 days')""", t0);
    }

    /** Empties every table the fixture fills, and drops the archive and snapshot tables. */
    public static void reset(Jdbc jdbc) {
        List<String> extra = jdbc.query("""
                SELECT tablename FROM pg_tables
                 WHERE schemaname = current_schema()
                   AND (starts_with(tablename, '_gust_archive_') OR starts_with(tablename, 'snapshot_'))""", Params.none(), row -> row.getString("tablename"));
        for (String table : extra) {
            jdbc.update("DROP TABLE " + table, Params.none());
        }
        jdbc.update(
                "TRUNCATE dag, dag_run, task_instance, task_log_chunk, xcom, log, job, import_error, app_user,"
                        + " web_session, login_failure, dataset, dataset_event, dagrun_dataset_event,"
                        + " dataset_dag_run_queue CASCADE",
                Params.none());
    }

    /** Copies every cleaned table into {@code snapshot_<table>}, to compare with after a clean. */
    public static void snapshot(Jdbc jdbc) {
        for (String table : TABLES) {
            jdbc.update("CREATE TABLE snapshot_" + table + " AS SELECT * FROM " + table, Params.none());
        }
    }

    public static long count(Jdbc jdbc, String sql) {
        return jdbc.queryOne("SELECT count(*) AS n FROM (" + sql + ") x", Params.none(), row -> row.getLong("n"))
                .orElseThrow();
    }
}
