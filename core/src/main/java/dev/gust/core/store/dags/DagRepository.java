package dev.gust.core.store.dags;

import dev.gust.core.schedule.DataInterval;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.datasets.DatasetRepository;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dag} table: the DAG loader upserts what it parsed and marks inactive what its
 * files no longer define; the scheduler and the webserver read it and flip the paused flag.
 * Rows are never deleted here, so the history of a DAG whose file went away stays browsable
 * (a user deletes a DAG through {@link DagDeletion}). Web servers ask the loader to parse a file
 * again through {@code dag_parse_request} rows.
 */
public final class DagRepository {

    private static final String COLUMNS = """
            dag_id, is_paused, is_active, fileloc, description, owners, tags, schedule_expression,
            timetable_description, max_active_runs, max_active_tasks, version_hash, last_parsed_at,
            created_at, updated_at, next_dagrun_data_interval_start, next_dagrun_data_interval_end,
            dag_display_name, default_view, owner_links::text AS owner_links, bundle_version""";

    static final RowMapper<StoredDag> DAG = row -> new StoredDag(
            row.getString("dag_id"),
            row.getBoolean("is_paused"),
            row.getBoolean("is_active"),
            row.getString("fileloc"),
            row.getString("description"),
            row.getString("owners"),
            Jdbc.textList(row, "tags"),
            row.getString("schedule_expression"),
            row.getString("timetable_description"),
            row.getInt("max_active_runs"),
            row.getInt("max_active_tasks"),
            row.getString("version_hash"),
            Jdbc.instant(row, "last_parsed_at"),
            Jdbc.instant(row, "created_at"),
            Jdbc.instant(row, "updated_at"),
            row.getObject("next_dagrun_data_interval_start") == null
                    ? null
                    : new DataInterval(
                            Jdbc.instant(row, "next_dagrun_data_interval_start"),
                            Jdbc.instant(row, "next_dagrun_data_interval_end")),
            row.getString("dag_display_name"),
            row.getString("default_view"),
            OwnerLinksJson.read(row.getString("owner_links")),
            row.getString("bundle_version"));

    private final Jdbc jdbc;

    public DagRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts or updates a parsed DAG and returns whether anything was written. A new DAG starts
     * paused or not as {@code pausedWhenNew} says; an existing one keeps its paused flag. When
     * the version hash and file are unchanged and the DAG is active, nothing is written.
     */
    public boolean upsert(DagRecord dag, boolean pausedWhenNew) {
        return jdbc.inTransaction(tx -> {
            boolean written = upsertRow(tx, dag, pausedWhenNew);
            // also when the row did not change: references of DAGs stored before datasets existed
            // are written by the first sync of a newer Gust
            DatasetRepository datasets = new DatasetRepository(tx);
            if (!dag.datasets().isEmpty() || written) {
                datasets.replaceReferences(dag.dagId(), dag.datasets());
            }
            return written;
        });
    }

    private static boolean upsertRow(Jdbc jdbc, DagRecord dag, boolean pausedWhenNew) {
        int written = jdbc.update(
                """
                INSERT INTO dag (dag_id, is_paused, is_active, fileloc, description, owners, tags,
                                 schedule_expression, timetable_description, max_active_runs,
                                 max_active_tasks, serialized_dag, version_hash, last_parsed_at,
                                 dag_display_name, default_view, owner_links)
                VALUES (:dagId, :paused, true, :fileloc, :description, :owners, :tags,
                        :scheduleExpression, :timetableDescription, :maxActiveRuns,
                        :maxActiveTasks, CAST(:serialized AS jsonb), :versionHash, now(),
                        :dagDisplayName, :defaultView, CAST(:ownerLinks AS jsonb))
                ON CONFLICT (dag_id) DO UPDATE SET
                    is_active = true,
                    fileloc = EXCLUDED.fileloc,
                    description = EXCLUDED.description,
                    owners = EXCLUDED.owners,
                    tags = EXCLUDED.tags,
                    schedule_expression = EXCLUDED.schedule_expression,
                    timetable_description = EXCLUDED.timetable_description,
                    max_active_runs = EXCLUDED.max_active_runs,
                    max_active_tasks = EXCLUDED.max_active_tasks,
                    serialized_dag = EXCLUDED.serialized_dag,
                    version_hash = EXCLUDED.version_hash,
                    dag_display_name = EXCLUDED.dag_display_name,
                    default_view = EXCLUDED.default_view,
                    owner_links = EXCLUDED.owner_links,
                    last_parsed_at = now(),
                    updated_at = now()
                WHERE dag.version_hash <> EXCLUDED.version_hash
                   OR dag.fileloc <> EXCLUDED.fileloc
                   OR NOT dag.is_active
                """,
                Params.of("dagId", dag.dagId())
                        .and("paused", pausedWhenNew)
                        .and("fileloc", dag.fileloc())
                        .and("description", dag.description())
                        .and("owners", dag.owners())
                        .and("tags", dag.tags())
                        .and("scheduleExpression", dag.scheduleExpression())
                        .and("timetableDescription", dag.timetableDescription())
                        .and("maxActiveRuns", dag.maxActiveRuns())
                        .and("maxActiveTasks", dag.maxActiveTasks())
                        .and("serialized", dag.serializedJson())
                        .and("versionHash", dag.versionHash())
                        .and("dagDisplayName", dag.dagDisplayName())
                        .and("defaultView", dag.defaultView())
                        .and("ownerLinks", OwnerLinksJson.write(dag.ownerLinks())));
        return written > 0;
    }

    /**
     * Records that these DAGs were parsed from DAG bundle {@code version} (null: from a plain
     * folder) and returns how many rows changed; rows that already say so are not written.
     */
    public int recordBundleVersion(Collection<String> dagIds, String version) {
        return jdbc.update("""
                UPDATE dag SET bundle_version = CAST(:version AS text)
                WHERE dag_id = ANY (:dagIds) AND bundle_version IS DISTINCT FROM CAST(:version AS text)
                """, Params.of("dagIds", dagIds).and("version", version));
    }

    /**
     * Marks inactive the DAGs recorded for {@code fileloc} that the file no longer defines, and
     * returns how many. An empty {@code stillDefined} deactivates every DAG of the file.
     */
    public int deactivateMissingFromFile(String fileloc, Collection<String> stillDefined) {
        return jdbc.update("""
                UPDATE dag SET is_active = false, updated_at = now()
                WHERE fileloc = :fileloc AND is_active AND NOT (dag_id = ANY (:stillDefined))
                """, Params.of("fileloc", fileloc).and("stillDefined", stillDefined));
    }

    /**
     * Marks inactive the DAGs of every file not in {@code existingFiles} (files that were
     * deleted or moved away), and returns how many.
     */
    public int deactivateFilesOtherThan(Collection<String> existingFiles) {
        return jdbc.update("""
                UPDATE dag SET is_active = false, updated_at = now()
                WHERE is_active AND NOT (fileloc = ANY (:existingFiles))
                """, Params.of("existingFiles", existingFiles));
    }

    /** Asks the DAG folder sync to parse {@code fileloc} again at its next pass (Airflow's parseDagFile). */
    public void requestReparse(String fileloc) {
        jdbc.update("""
                INSERT INTO dag_parse_request (fileloc) VALUES (:fileloc)
                ON CONFLICT (fileloc) DO UPDATE SET requested_at = now()""", Params.of("fileloc", fileloc));
    }

    /** Takes the files asked to be parsed again: each request is answered once, by whoever takes it. */
    public List<String> takeReparseRequests() {
        return jdbc.query(
                "DELETE FROM dag_parse_request RETURNING fileloc", Params.none(), row -> row.getString("fileloc"));
    }

    /** The files stored DAGs come from, active or not. */
    public List<String> filelocs() {
        return jdbc.query("SELECT DISTINCT fileloc FROM dag", Params.none(), row -> row.getString("fileloc"));
    }

    public Optional<StoredDag> find(String dagId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM dag WHERE dag_id = :dagId", Params.of("dagId", dagId), DAG);
    }

    /** Every DAG, active or not, by id. */
    public List<StoredDag> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM dag ORDER BY dag_id", Params.none(), DAG);
    }

    /** The DAGs their files still define, by id. */
    public List<StoredDag> listActive() {
        return jdbc.query("SELECT " + COLUMNS + " FROM dag WHERE is_active ORDER BY dag_id", Params.none(), DAG);
    }

    /** The serialized DAG as the loader wrote it (JSON text). */
    public Optional<String> serializedDag(String dagId) {
        return jdbc.queryOne(
                "SELECT serialized_dag::text FROM dag WHERE dag_id = :dagId",
                Params.of("dagId", dagId),
                row -> row.getString(1));
    }

    /** The current version hash and paused flag of each of these DAGs, by id (missing ids are absent). */
    public java.util.Map<String, VersionAndPause> versions(Collection<String> dagIds) {
        java.util.Map<String, VersionAndPause> versions = new java.util.HashMap<>();
        jdbc.query(
                "SELECT dag_id, version_hash, is_paused FROM dag WHERE dag_id = ANY (:ids)",
                Params.of("ids", dagIds),
                row -> versions.put(row.getString(1), new VersionAndPause(row.getString(2), row.getBoolean(3))));
        return versions;
    }

    /** What the scheduler checks about a DAG on every round. */
    public record VersionAndPause(String versionHash, boolean paused) {}

    /**
     * Records the data interval of the DAG's next scheduled run (null: it has none), written by
     * the scheduler; a value that did not change is not written again.
     */
    public void setNextDagrun(String dagId, DataInterval next) {
        jdbc.update(
                """
                UPDATE dag SET next_dagrun_data_interval_start = :start, next_dagrun_data_interval_end = :end
                 WHERE dag_id = :dagId
                   AND (next_dagrun_data_interval_start IS DISTINCT FROM CAST(:start AS timestamptz)
                        OR next_dagrun_data_interval_end IS DISTINCT FROM CAST(:end AS timestamptz))""",
                Params.of("dagId", dagId)
                        .and("start", next == null ? null : next.start())
                        .and("end", next == null ? null : next.end()));
    }

    /**
     * Pauses the DAG unless it is paused already; true when this call paused it, so that of two
     * schedulers deciding the same at once only one records why.
     */
    public boolean pauseIfUnpaused(String dagId) {
        return jdbc.update(
                        "UPDATE dag SET is_paused = true, updated_at = now() WHERE dag_id = :dagId AND NOT is_paused",
                        Params.of("dagId", dagId))
                > 0;
    }

    /** Pauses or unpauses a DAG; returns false when there is no such DAG. */
    public boolean setPaused(String dagId, boolean paused) {
        return jdbc.update("""
                UPDATE dag SET is_paused = :paused, updated_at = now() WHERE dag_id = :dagId
                """, Params.of("dagId", dagId).and("paused", paused)) > 0;
    }
}
