package dev.gust.core.store.cleanup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tables {@code gust db clean} knows, as Airflow's {@code db clean} does ({@code dag_run},
 * {@code task_instance}, {@code xcom}, {@code log}, {@code job}, {@code import_error}, the web
 * sessions), plus Gust's own {@code task_log_chunk} (task logs live in the database) and
 * {@code login_failure}; each judged by its time column as Airflow's is. In the order they are
 * cleaned: children before their parents.
 *
 * <p>Datasets: an event ({@code dataset_event}, Airflow's table, by its {@code timestamp}) goes once
 * it is old and every run it triggered goes too; a run's links to the events that triggered it
 * ({@code dagrun_dataset_event}) go with the run, so a kept run still shows what triggered it.
 * The consumers' queue ({@code dataset_dag_run_queue}) is not cleaned, as Airflow's is not: a
 * queue row is an update a DAG has not run for yet, and deleting it would make the DAG miss it.
 *
 * <p>Two rules keep the scheduler going, as Airflow's: the latest non-manual run of each DAG (by
 * start date) is kept, so that scheduling continues from it; and, beyond Airflow, nothing of a run
 * that is still queued or running is touched, and the kept run keeps its task instances, XComs and
 * logs. A task instance, XCom or log line also goes when its run (or task instance) is old, so that
 * deleting a run never leaves rows to an unarchived cascade. The {@code dag} table is not cleaned
 * (Airflow's is): Gust stamps {@code last_parsed_at} only when a DAG changes, and deleting a DAG
 * would cascade to its whole history.
 */
public final class CleanedTables {

    /**
     * The run {@code alias} may be cleaned: finished ({@code :finished_run_states}, bound by
     * MetadataCleanup), and not the latest non-manual run of its DAG.
     */
    private static String runMayGo(String alias) {
        return alias + ".state = ANY(:finished_run_states) AND " + alias
                + ".start_date IS DISTINCT FROM (SELECT max(k.start_date) FROM dag_run k WHERE k.dag_id = " + alias
                + ".dag_id AND k.run_type <> 'manual')";
    }

    private static final String TASK_INSTANCE_OF_T =
            "JOIN task_instance ti ON ti.dag_id = t.dag_id AND ti.run_id = t.run_id"
                    + " AND ti.task_id = t.task_id AND ti.map_index = t.map_index";
    private static final String RUN_OF_T = "JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id";

    // OFFSET 0 keeps a NOT EXISTS a per-row index probe: pulled up into an anti join, PostgreSQL
    // merge-joins it and reads the child table's index from its start at every batch.
    private static final String PROBE = " OFFSET 0";
    // The tables' keys start with (dag_id, run_id [, task_id, map_index]): the joined run and task
    // instance are at or after the last key too.
    private static final String RUN_AFTER_LAST = "(r.dag_id, r.run_id) >= (:k1, :k2)";
    private static final String TASK_INSTANCE_AFTER_LAST =
            "(ti.dag_id, ti.run_id, ti.task_id, ti.map_index) >= (:k1, :k2, :k3, :k4)";

    private static final List<CleanedTable> ALL = List.of(
            new CleanedTable(
                    "xcom",
                    List.of("dag_id", "run_id", "task_id", "map_index", "key"),
                    "xcom t " + TASK_INSTANCE_OF_T + " " + RUN_OF_T,
                    "(t.created_at < :before OR ti.start_date < :before OR r.start_date < :before) AND "
                            + runMayGo("r"),
                    "",
                    RUN_AFTER_LAST + " AND " + TASK_INSTANCE_AFTER_LAST,
                    List.of()),
            new CleanedTable(
                    "task_log_chunk",
                    List.of("dag_id", "run_id", "task_id", "map_index", "try_number", "chunk_no"),
                    "task_log_chunk t " + TASK_INSTANCE_OF_T + " " + RUN_OF_T,
                    "(t.created_at < :before OR ti.start_date < :before OR r.start_date < :before) AND "
                            + runMayGo("r"),
                    "",
                    RUN_AFTER_LAST + " AND " + TASK_INSTANCE_AFTER_LAST,
                    List.of()),
            new CleanedTable(
                    "task_instance",
                    List.of("dag_id", "run_id", "task_id", "map_index"),
                    "task_instance t " + RUN_OF_T,
                    "(t.start_date < :before OR r.start_date < :before) AND " + runMayGo("r"),
                    "NOT EXISTS (SELECT 1 FROM xcom c WHERE c.dag_id = t.dag_id AND c.run_id = t.run_id"
                            + " AND c.task_id = t.task_id AND c.map_index = t.map_index" + PROBE + ")"
                            + " AND NOT EXISTS (SELECT 1 FROM task_log_chunk c WHERE c.dag_id = t.dag_id"
                            + " AND c.run_id = t.run_id AND c.task_id = t.task_id AND c.map_index = t.map_index"
                            + PROBE + ")",
                    RUN_AFTER_LAST,
                    List.of("xcom", "task_log_chunk")),
            new CleanedTable(
                    "dagrun_dataset_event",
                    List.of("dag_run_id", "event_id"),
                    "dagrun_dataset_event t JOIN dag_run r ON r.id = t.dag_run_id",
                    "r.start_date < :before AND " + runMayGo("r"),
                    "",
                    "",
                    List.of()),
            new CleanedTable(
                    "dag_run",
                    List.of("id"),
                    "dag_run t",
                    "t.start_date < :before AND " + runMayGo("t"),
                    "NOT EXISTS (SELECT 1 FROM task_instance c WHERE c.dag_id = t.dag_id AND c.run_id = t.run_id"
                            + PROBE + ")"
                            + " AND NOT EXISTS (SELECT 1 FROM dagrun_dataset_event c WHERE c.dag_run_id = t.id"
                            + PROBE + ")",
                    "",
                    List.of("task_instance", "dagrun_dataset_event")),
            new CleanedTable(
                    "dataset_event",
                    List.of("id"),
                    "dataset_event t",
                    "t.timestamp < :before AND NOT EXISTS (SELECT 1 FROM dagrun_dataset_event l JOIN dag_run r"
                            + " ON r.id = l.dag_run_id WHERE l.event_id = t.id AND NOT (r.start_date < :before AND "
                            + runMayGo("r") + ")" + PROBE + ")",
                    "NOT EXISTS (SELECT 1 FROM dagrun_dataset_event c WHERE c.event_id = t.id" + PROBE + ")",
                    "",
                    List.of("dagrun_dataset_event")),
            simple("log", "id", "dttm"),
            simple("job", "id", "latest_heartbeat"),
            simple("import_error", "id", "timestamp"),
            simple("web_session", "id_hash", "expires_at"),
            simple("login_failure", "id", "failed_at"));

    private CleanedTables() {}

    private static CleanedTable simple(String name, String key, String timeColumn) {
        return new CleanedTable(name, List.of(key), name + " t", "t." + timeColumn + " < :before", "", "", List.of());
    }

    /** Every table, in cleaning order. */
    public static List<CleanedTable> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(CleanedTable::name).toList();
    }

    public static Optional<CleanedTable> named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The tables to clean for the names asked for (all when empty), with the tables whose rows go
     * with theirs (as Airflow's dependent tables), in cleaning order; an unknown name is refused.
     */
    public static List<CleanedTable> selection(Collection<String> asked) {
        if (asked.isEmpty()) {
            return ALL;
        }
        Set<String> wanted = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(asked);
        while (!queue.isEmpty()) {
            String name = queue.removeFirst();
            CleanedTable table = named(name)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown table '" + name + "'; choose among " + String.join(", ", names())));
            if (wanted.add(name)) {
                queue.addAll(table.dependents());
            }
        }
        return ALL.stream().filter(t -> wanted.contains(t.name())).toList();
    }
}
