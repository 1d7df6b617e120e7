package dev.gust.core.store.datasets;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dataset tables: datasets, their events, which DAGs consume and which tasks produce them,
 * the per-consumer queue of events no run consumed yet (Airflow's {@code dataset_dag_run_queue})
 * and the events each dataset-triggered run consumed. Producers write an event and queue it in
 * the transaction of their task's success; a scheduler consumes a queue under row locks (see
 * {@link #lockConsumer}) so that one satisfied condition makes one run, whatever the number of
 * schedulers.
 */
public final class DatasetRepository {

    /** The fields {@code order_by} accepts for datasets, as Airflow names them. */
    public static final Map<String, String> DATASET_ORDER = OrderBy.columns(
            Map.entry("id", "ds.id"),
            Map.entry("uri", "ds.uri"),
            Map.entry("created_at", "ds.created_at"),
            Map.entry("updated_at", "ds.updated_at"));

    /** The fields {@code order_by} accepts for dataset events. */
    public static final Map<String, String> EVENT_ORDER = OrderBy.columns(
            Map.entry("id", "e.id"),
            Map.entry("timestamp", "e.timestamp"),
            Map.entry("dataset_id", "e.dataset_id"),
            Map.entry("source_dag_id", "e.source_dag_id"),
            Map.entry("source_task_id", "e.source_task_id"),
            Map.entry("source_run_id", "e.source_run_id"),
            Map.entry("source_map_index", "e.source_map_index"));

    private static final String DATASET_COLUMNS =
            "ds.id, ds.uri, ds.extra::text AS extra, ds.created_at, ds.updated_at";
    private static final String EVENT_COLUMNS = """
            e.id, e.dataset_id, ds.uri, e.extra::text AS extra, e.source_dag_id, e.source_task_id,
            e.source_run_id, e.source_map_index, e.timestamp""";
    private static final RowMapper<DatasetEvent> EVENT = row -> new DatasetEvent(
            row.getLong("id"),
            row.getLong("dataset_id"),
            row.getString("uri"),
            row.getString("extra"),
            row.getString("source_dag_id"),
            row.getString("source_task_id"),
            row.getString("source_run_id"),
            row.getInt("source_map_index"),
            Jdbc.instant(row, "timestamp"));
    private static final RowMapper<QueuedEvent> QUEUED = row -> new QueuedEvent(
            row.getLong("dataset_id"),
            row.getString("uri"),
            row.getString("target_dag_id"),
            Jdbc.instant(row, "created_at"));

    private final Jdbc jdbc;

    public DatasetRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    // ---- references, written with the DAG ----

    /** Replaces the DAG's consumer and producer references with {@code references}, creating the datasets they name. */
    public void replaceReferences(String dagId, DatasetReferences references) {
        jdbc.inTransaction(tx -> {
            List<String> consumed = references.scheduleUris();
            tx.update(
                    "DELETE FROM dag_schedule_dataset_reference r USING dataset ds WHERE r.dataset_id = ds.id"
                            + " AND r.dag_id = :dagId AND NOT (ds.uri = ANY (:uris))",
                    Params.of("dagId", dagId).and("uris", consumed));
            for (String uri : consumed) {
                tx.update("""
                        INSERT INTO dag_schedule_dataset_reference (dataset_id, dag_id)
                        VALUES (:datasetId, :dagId) ON CONFLICT DO NOTHING""", Params.of("datasetId", ensure(tx, uri)).and("dagId", dagId));
            }
            tx.update("DELETE FROM task_outlet_dataset_reference WHERE dag_id = :dagId", Params.of("dagId", dagId));
            references.taskOutlets().forEach((taskId, uris) -> {
                for (String uri : uris) {
                    tx.update(
                            """
                            INSERT INTO task_outlet_dataset_reference (dataset_id, dag_id, task_id)
                            VALUES (:datasetId, :dagId, :taskId) ON CONFLICT DO NOTHING""",
                            Params.of("datasetId", ensure(tx, uri))
                                    .and("dagId", dagId)
                                    .and("taskId", taskId));
                }
            });
            return null;
        });
    }

    /** The dataset's id, creating it when no DAG named it before. */
    private static long ensure(Jdbc tx, String uri) {
        return tx.queryOne("""
                        WITH inserted AS (
                            INSERT INTO dataset (uri) VALUES (:uri) ON CONFLICT (uri) DO NOTHING RETURNING id)
                        SELECT id FROM inserted UNION ALL SELECT id FROM dataset WHERE uri = :uri LIMIT 1""", Params.of("uri", uri), row -> row.getLong("id")).orElseThrow();
    }

    // ---- producing ----

    /**
     * Records an update of each of {@code uris} by {@code source} at {@code at} and queues it for
     * every active, unpaused DAG scheduled on it; call it in the transaction that records the
     * producer's success.
     */
    public List<DatasetEvent> recordEvents(Collection<String> uris, EventSource source, String extraJson, Instant at) {
        List<DatasetEvent> events = new ArrayList<>();
        for (String uri : uris) {
            events.add(recordEvent(ensure(jdbc, uri), source, extraJson, at));
        }
        return events;
    }

    /** An external update of an existing dataset (the REST API's {@code POST /datasets/events}); empty when no such dataset. */
    public Optional<DatasetEvent> recordExternalEvent(String uri, String extraJson, Instant at) {
        return find(uri).map(ds -> recordEvent(ds.id(), EventSource.EXTERNAL, extraJson, at));
    }

    private DatasetEvent recordEvent(long datasetId, EventSource source, String extraJson, Instant at) {
        return jdbc.inTransaction(tx -> {
            long id = tx.queryOne(
                            """
                            INSERT INTO dataset_event (dataset_id, extra, source_dag_id, source_run_id, source_task_id,
                                                       source_map_index, timestamp)
                            VALUES (:datasetId, CAST(:extra AS jsonb), :dagId, :runId, :taskId, :mapIndex, :at)
                            RETURNING id""",
                            Params.of("datasetId", datasetId)
                                    .and("extra", extraJson == null ? "{}" : extraJson)
                                    .and("dagId", source.dagId())
                                    .and("runId", source.runId())
                                    .and("taskId", source.taskId())
                                    .and("mapIndex", source.mapIndex())
                                    .and("at", at),
                            row -> row.getLong("id"))
                    .orElseThrow();
            // A newer update of a dataset already queued moves the row's time forward; when a
            // scheduler holds the row while it consumes the queue, this waits for it and then
            // queues anew, so no update is lost between the read and the delete.
            tx.update("""
                    INSERT INTO dataset_dag_run_queue (dataset_id, target_dag_id, created_at)
                    SELECT r.dataset_id, r.dag_id, :at
                      FROM dag_schedule_dataset_reference r JOIN dag d ON d.dag_id = r.dag_id
                     WHERE r.dataset_id = :datasetId AND d.is_active AND NOT d.is_paused
                    ON CONFLICT (dataset_id, target_dag_id)
                    DO UPDATE SET created_at = greatest(dataset_dag_run_queue.created_at, EXCLUDED.created_at)""", Params.of("datasetId", datasetId).and("at", at));
            tx.update("UPDATE dataset SET updated_at = now() WHERE id = :id", Params.of("id", datasetId));
            return tx.queryOne(
                            "SELECT " + EVENT_COLUMNS + " FROM dataset_event e JOIN dataset ds ON ds.id = e.dataset_id"
                                    + " WHERE e.id = :id",
                            Params.of("id", id),
                            EVENT)
                    .orElseThrow();
        });
    }

    // ---- consuming (in one transaction of the caller's) ----

    /** Active, unpaused DAGs with queued events: those a scheduler should look at. */
    public List<String> consumersWithQueuedEvents() {
        return jdbc.query("""
                SELECT DISTINCT q.target_dag_id FROM dataset_dag_run_queue q JOIN dag d ON d.dag_id = q.target_dag_id
                 WHERE d.is_active AND NOT d.is_paused ORDER BY q.target_dag_id""", Params.none(), row -> row.getString(1));
    }

    /**
     * Takes the consumer for the rest of the transaction; false when another scheduler has it
     * (then it is that one's to handle) or it is paused or gone. Only a key-less lock of the DAG
     * row, so producers queueing for it meanwhile are not held up.
     */
    public boolean lockConsumer(String dagId) {
        return jdbc.queryOne("""
                        SELECT dag_id FROM dag WHERE dag_id = :dagId AND is_active AND NOT is_paused
                        FOR NO KEY UPDATE SKIP LOCKED""", Params.of("dagId", dagId), row -> row.getString(1))
                .isPresent();
    }

    /** The consumer's queue, locked until the transaction ends. */
    public List<QueuedEvent> lockQueue(String dagId) {
        return jdbc.query("""
                SELECT q.dataset_id, ds.uri, q.target_dag_id, q.created_at
                  FROM dataset_dag_run_queue q JOIN dataset ds ON ds.id = q.dataset_id
                 WHERE q.target_dag_id = :dagId ORDER BY q.created_at FOR UPDATE OF q""", Params.of("dagId", dagId), QUEUED);
    }

    /**
     * Events of the datasets the DAG is scheduled on, after {@code after} (exclusive; null for
     * all) up to {@code upTo}: those a dataset-triggered run at {@code upTo} consumes, as Airflow
     * gathers them.
     */
    public List<DatasetEvent> eventsFor(String dagId, Instant after, Instant upTo) {
        return jdbc.query(
                "SELECT " + EVENT_COLUMNS + """
                 FROM dataset_event e JOIN dataset ds ON ds.id = e.dataset_id
                 JOIN dag_schedule_dataset_reference r ON r.dataset_id = e.dataset_id AND r.dag_id = :dagId
                WHERE e.timestamp <= :upTo AND (CAST(:after AS timestamptz) IS NULL OR e.timestamp > :after)
                ORDER BY e.timestamp, e.id""",
                Params.of("dagId", dagId).and("after", after).and("upTo", upTo),
                EVENT);
    }

    /** The logical date of the DAG's latest dataset-triggered run before {@code before}; null when none. */
    public Instant previousTriggeredRun(String dagId, Instant before) {
        return jdbc.queryOne("""
                        SELECT logical_date AS latest FROM dag_run
                         WHERE dag_id = :dagId AND run_type = 'dataset_triggered' AND logical_date < :before
                         ORDER BY logical_date DESC LIMIT 1""", Params.of("dagId", dagId).and("before", before), row -> Jdbc.instant(row, "latest"))
                .orElse(null);
    }

    /** Records that run {@code dagRunId} consumed {@code eventIds}. */
    public void link(long dagRunId, Collection<Long> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        jdbc.update("""
                INSERT INTO dagrun_dataset_event (dag_run_id, event_id)
                SELECT :runId, unnest(CAST(:ids AS bigint[])) ON CONFLICT DO NOTHING""", Params.of("runId", dagRunId).and("ids", List.copyOf(eventIds)));
    }

    /** Removes these datasets' rows from the consumer's queue. */
    public int dequeue(String dagId, Collection<Long> datasetIds) {
        return jdbc.update(
                "DELETE FROM dataset_dag_run_queue WHERE target_dag_id = :dagId"
                        + " AND dataset_id = ANY (CAST(:ids AS bigint[]))",
                Params.of("dagId", dagId).and("ids", List.copyOf(datasetIds)));
    }

    // ---- reading ----

    public Optional<Dataset> find(String uri) {
        List<Dataset> found = withReferences(jdbc.query(
                "SELECT " + DATASET_COLUMNS + " FROM dataset ds WHERE ds.uri = :uri", Params.of("uri", uri), ROW));
        return found.stream().findFirst();
    }

    public static OrderBy datasetOrder(String orderBy) {
        return OrderBy.parse(orderBy, DATASET_ORDER, "id", "ds.id");
    }

    public static OrderBy eventOrder(String orderBy) {
        return OrderBy.parse(orderBy, EVENT_ORDER, "timestamp", "e.id");
    }

    /**
     * A page of datasets: those whose URI contains {@code uriPattern} (null: any) and, when
     * {@code dagIds} is not empty, that one of those DAGs consumes or produces.
     */
    public Page<Dataset> page(String uriPattern, Collection<String> dagIds, OrderBy order, int limit, int offset) {
        Page<Dataset> page = PagedQuery.run(
                jdbc,
                DATASET_COLUMNS,
                """
                FROM dataset ds
                WHERE (CAST(:pattern AS text) IS NULL OR strpos(ds.uri, :pattern) > 0)
                  AND (cardinality(CAST(:dagIds AS text[])) = 0
                       OR EXISTS (SELECT 1 FROM dag_schedule_dataset_reference r
                                   WHERE r.dataset_id = ds.id AND r.dag_id = ANY (:dagIds))
                       OR EXISTS (SELECT 1 FROM task_outlet_dataset_reference t
                                   WHERE t.dataset_id = ds.id AND t.dag_id = ANY (:dagIds)))""",
                Params.of("pattern", uriPattern).and("dagIds", List.copyOf(dagIds)),
                order,
                limit,
                offset,
                ROW);
        return new Page<>(withReferences(page.items()), page.totalEntries());
    }

    /** Filters of {@link #events}; null fields match any. */
    public record EventFilter(
            Long datasetId, String sourceDagId, String sourceTaskId, String sourceRunId, Integer sourceMapIndex) {
        public static final EventFilter ANY = new EventFilter(null, null, null, null, null);
    }

    public Page<DatasetEvent> events(EventFilter filter, OrderBy order, int limit, int offset) {
        return PagedQuery.run(
                jdbc,
                EVENT_COLUMNS,
                """
                FROM dataset_event e JOIN dataset ds ON ds.id = e.dataset_id
                WHERE (CAST(:datasetId AS bigint) IS NULL OR e.dataset_id = :datasetId)
                  AND (CAST(:dagId AS text) IS NULL OR e.source_dag_id = :dagId)
                  AND (CAST(:taskId AS text) IS NULL OR e.source_task_id = :taskId)
                  AND (CAST(:runId AS text) IS NULL OR e.source_run_id = :runId)
                  AND (CAST(:mapIndex AS integer) IS NULL OR e.source_map_index = :mapIndex)""",
                Params.of("datasetId", filter.datasetId())
                        .and("dagId", filter.sourceDagId())
                        .and("taskId", filter.sourceTaskId())
                        .and("runId", filter.sourceRunId())
                        .and("mapIndex", filter.sourceMapIndex()),
                order,
                limit,
                offset,
                EVENT);
    }

    /** The events run {@code dagRunId} consumed, oldest first. */
    public List<DatasetEvent> consumedBy(long dagRunId) {
        return jdbc.query("SELECT " + EVENT_COLUMNS + """
                 FROM dagrun_dataset_event l JOIN dataset_event e ON e.id = l.event_id
                 JOIN dataset ds ON ds.id = e.dataset_id
                WHERE l.dag_run_id = :runId ORDER BY e.timestamp, e.id""", Params.of("runId", dagRunId), EVENT);
    }

    /** The runs each of {@code eventIds} triggered (Airflow's {@code created_dagruns}), by event id. */
    public Map<Long, List<TriggeredRun>> runsTriggeredBy(Collection<Long> eventIds) {
        Map<Long, List<TriggeredRun>> runs = new LinkedHashMap<>();
        if (eventIds.isEmpty()) {
            return runs;
        }
        jdbc.query(
                """
                SELECT l.event_id, r.dag_id, r.run_id, r.logical_date, r.start_date, r.end_date, r.state,
                       r.data_interval_start, r.data_interval_end
                  FROM dagrun_dataset_event l JOIN dag_run r ON r.id = l.dag_run_id
                 WHERE l.event_id = ANY (CAST(:ids AS bigint[])) ORDER BY l.event_id, r.id""",
                Params.of("ids", List.copyOf(eventIds)),
                row -> runs.computeIfAbsent(row.getLong("event_id"), k -> new ArrayList<>())
                        .add(new TriggeredRun(
                                row.getString("dag_id"),
                                row.getString("run_id"),
                                Jdbc.instant(row, "logical_date"),
                                Jdbc.instant(row, "start_date"),
                                Jdbc.instant(row, "end_date"),
                                row.getString("state"),
                                Jdbc.instant(row, "data_interval_start"),
                                Jdbc.instant(row, "data_interval_end"))));
        return runs;
    }

    /** Queued events of a consumer and/or a dataset (null: any), older than {@code before} when set. */
    public List<QueuedEvent> queued(String dagId, String uri, Instant before) {
        return jdbc.query("""
                SELECT q.dataset_id, ds.uri, q.target_dag_id, q.created_at
                  FROM dataset_dag_run_queue q JOIN dataset ds ON ds.id = q.dataset_id
                 WHERE (CAST(:dagId AS text) IS NULL OR q.target_dag_id = :dagId)
                   AND (CAST(:uri AS text) IS NULL OR ds.uri = :uri)
                   AND (CAST(:before AS timestamptz) IS NULL OR q.created_at < :before)
                 ORDER BY q.target_dag_id, ds.uri""", Params.of("dagId", dagId).and("uri", uri).and("before", before), QUEUED);
    }

    /** Deletes queued events of a consumer and/or a dataset (null: any), older than {@code before} when set. */
    public int deleteQueued(String dagId, String uri, Instant before) {
        return jdbc.update("""
                DELETE FROM dataset_dag_run_queue q USING dataset ds
                 WHERE ds.id = q.dataset_id
                   AND (CAST(:dagId AS text) IS NULL OR q.target_dag_id = :dagId)
                   AND (CAST(:uri AS text) IS NULL OR ds.uri = :uri)
                   AND (CAST(:before AS timestamptz) IS NULL OR q.created_at < :before)""", Params.of("dagId", dagId).and("uri", uri).and("before", before));
    }

    /** For the DAG list: per dataset-scheduled DAG, how many of its datasets have queued events. */
    public Map<String, Integer> queuedCountsByDag() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.query(
                "SELECT target_dag_id, count(*) AS n FROM dataset_dag_run_queue GROUP BY target_dag_id",
                Params.none(),
                row -> counts.put(row.getString(1), row.getInt(2)));
        return counts;
    }

    /** How far a dataset-scheduled DAG is towards its next run: of its {@code total} datasets, {@code updated} have queued events. */
    public record ConsumerProgress(int updated, int total) {}

    /** For the DAG list: the progress of every active DAG scheduled on datasets, by DAG id. */
    public Map<String, ConsumerProgress> progressByDag() {
        Map<String, ConsumerProgress> progress = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT r.dag_id, count(q.dataset_id) AS updated, count(*) AS total
                  FROM dag_schedule_dataset_reference r JOIN dag d ON d.dag_id = r.dag_id
                  LEFT JOIN dataset_dag_run_queue q ON q.dataset_id = r.dataset_id AND q.target_dag_id = r.dag_id
                 WHERE d.is_active GROUP BY r.dag_id""",
                Params.none(),
                row -> progress.put(
                        row.getString("dag_id"), new ConsumerProgress(row.getInt("updated"), row.getInt("total"))));
        return progress;
    }

    /** The latest {@code perDataset} events of each of {@code datasetIds}, newest first, by dataset id. */
    public Map<Long, List<DatasetEvent>> latestEvents(Collection<Long> datasetIds, int perDataset) {
        Map<Long, List<DatasetEvent>> latest = new LinkedHashMap<>();
        if (datasetIds.isEmpty()) {
            return latest;
        }
        jdbc.query(
                "SELECT " + EVENT_COLUMNS + """
                 FROM dataset ds CROSS JOIN LATERAL (
                     SELECT * FROM dataset_event WHERE dataset_id = ds.id ORDER BY timestamp DESC, id DESC LIMIT :n) e
                WHERE ds.id = ANY (CAST(:ids AS bigint[]))
                ORDER BY ds.id, e.timestamp DESC, e.id DESC""",
                Params.of("ids", List.copyOf(datasetIds)).and("n", perDataset),
                row -> latest.computeIfAbsent(row.getLong("dataset_id"), k -> new ArrayList<>())
                        .add(EVENT.map(row)));
        return latest;
    }

    private static final RowMapper<Dataset> ROW = row -> new Dataset(
            row.getLong("id"),
            row.getString("uri"),
            row.getString("extra"),
            Jdbc.instant(row, "created_at"),
            Jdbc.instant(row, "updated_at"),
            List.of(),
            List.of());

    private List<Dataset> withReferences(List<Dataset> datasets) {
        if (datasets.isEmpty()) {
            return datasets;
        }
        List<Long> ids = datasets.stream().map(Dataset::id).toList();
        Map<Long, List<Dataset.Consumer>> consumers = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT r.dataset_id, r.dag_id, r.created_at, r.updated_at
                  FROM dag_schedule_dataset_reference r JOIN dag d ON d.dag_id = r.dag_id
                 WHERE d.is_active AND r.dataset_id = ANY (CAST(:ids AS bigint[])) ORDER BY r.dag_id""",
                Params.of("ids", ids),
                row -> consumers
                        .computeIfAbsent(row.getLong(1), k -> new ArrayList<>())
                        .add(new Dataset.Consumer(
                                row.getString(2), Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at"))));
        Map<Long, List<Dataset.Producer>> producers = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT t.dataset_id, t.dag_id, t.task_id, t.created_at, t.updated_at
                  FROM task_outlet_dataset_reference t JOIN dag d ON d.dag_id = t.dag_id
                 WHERE d.is_active AND t.dataset_id = ANY (CAST(:ids AS bigint[])) ORDER BY t.dag_id, t.task_id""",
                Params.of("ids", ids),
                row -> producers
                        .computeIfAbsent(row.getLong(1), k -> new ArrayList<>())
                        .add(new Dataset.Producer(
                                row.getString(2),
                                row.getString(3),
                                Jdbc.instant(row, "created_at"),
                                Jdbc.instant(row, "updated_at"))));
        return datasets.stream()
                .map(ds -> new Dataset(
                        ds.id(),
                        ds.uri(),
                        ds.extra(),
                        ds.createdAt(),
                        ds.updatedAt(),
                        consumers.getOrDefault(ds.id(), List.of()),
                        producers.getOrDefault(ds.id(), List.of())))
                .toList();
    }
}
