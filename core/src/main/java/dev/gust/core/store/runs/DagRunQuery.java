package dev.gust.core.store.runs;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Paged listings of DAG runs with Airflow's filters (states, date ranges) for the REST API's
 * {@code /dags/{dag_id}/dagRuns}, with the time each row last changed.
 */
public final class DagRunQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("id", "id"),
            Map.entry("dag_id", "dag_id"),
            Map.entry("dag_run_id", "run_id"),
            Map.entry("state", "state"),
            Map.entry("execution_date", "logical_date"),
            Map.entry("logical_date", "logical_date"),
            Map.entry("start_date", "start_date"),
            Map.entry("end_date", "end_date"),
            Map.entry("updated_at", "updated_at"),
            Map.entry("external_trigger", "external_trigger"));

    /**
     * What to list; null fields do not filter. {@code dagId} null lists every DAG's runs
     * (Airflow's {@code ~}).
     */
    public record Filter(
            String dagId,
            List<String> states,
            Instant executionDateGte,
            Instant executionDateLte,
            Instant startDateGte,
            Instant startDateLte,
            Instant endDateGte,
            Instant endDateLte,
            Instant updatedAtGte,
            Instant updatedAtLte) {}

    /** A run and when its row last changed. */
    public record Listed(DagRun run, Instant updatedAt) {}

    private static final String SELECT = """
            id, dag_id, run_id, logical_date, data_interval_start, data_interval_end, state, run_type,
            conf::text AS conf, external_trigger, queued_at, start_date, end_date, dag_version_hash, note, updated_at""";

    private static final String FROM_WHERE = """
             FROM dag_run
            WHERE (CAST(:dagId AS text) IS NULL OR dag_id = :dagId)
              AND (CAST(:dagIds AS text[]) IS NULL OR dag_id = ANY (CAST(:dagIds AS text[])))
              AND (CAST(:states AS text[]) IS NULL OR state = ANY (CAST(:states AS text[])))
              AND (CAST(:edGte AS timestamptz) IS NULL OR logical_date >= :edGte)
              AND (CAST(:edLte AS timestamptz) IS NULL OR logical_date <= :edLte)
              AND (CAST(:sdGte AS timestamptz) IS NULL OR start_date >= :sdGte)
              AND (CAST(:sdLte AS timestamptz) IS NULL OR start_date <= :sdLte)
              AND (CAST(:endGte AS timestamptz) IS NULL OR end_date >= :endGte)
              AND (CAST(:endLte AS timestamptz) IS NULL OR end_date <= :endLte)
              AND (CAST(:upGte AS timestamptz) IS NULL OR updated_at >= :upGte)
              AND (CAST(:upLte AS timestamptz) IS NULL OR updated_at <= :upLte)""";

    private static final RowMapper<Listed> LISTED =
            row -> new Listed(DagRunRepository.DAG_RUN.map(row), Jdbc.instant(row, "updated_at"));

    private final Jdbc jdbc;

    public DagRunQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "id", "id");
    }

    public Page<Listed> list(Filter f, OrderBy order, int limit, int offset) {
        return list(f, null, order, limit, offset);
    }

    /** {@link #list(Filter, OrderBy, int, int)} of the runs of {@code dagIds} only (null: of every DAG). */
    public Page<Listed> list(Filter f, List<String> dagIds, OrderBy order, int limit, int offset) {
        Params params = Params.of("dagId", f.dagId())
                .and("dagIds", dagIds == null || dagIds.isEmpty() ? null : dagIds)
                .and("states", f.states() == null || f.states().isEmpty() ? null : f.states())
                .and("edGte", f.executionDateGte())
                .and("edLte", f.executionDateLte())
                .and("sdGte", f.startDateGte())
                .and("sdLte", f.startDateLte())
                .and("endGte", f.endDateGte())
                .and("endLte", f.endDateLte())
                .and("upGte", f.updatedAtGte())
                .and("upLte", f.updatedAtLte());
        return PagedQuery.run(jdbc, SELECT, FROM_WHERE, params, order, limit, offset, LISTED);
    }

    /**
     * How many runs each of these DAGs has in each state (Airflow's dagStats); a DAG that exists
     * but has no runs maps to an empty map, a DAG that does not exist is left out.
     */
    public Map<String, Map<String, Long>> stateCounts(java.util.Collection<String> dagIds) {
        Map<String, Map<String, Long>> counts = new java.util.TreeMap<>();
        jdbc.query("""
                SELECT d.dag_id, r.state, count(r.id) AS n
                  FROM dag d LEFT JOIN dag_run r ON r.dag_id = d.dag_id
                 WHERE d.dag_id = ANY (:dagIds)
                 GROUP BY d.dag_id, r.state""", Params.of("dagIds", List.copyOf(dagIds)), row -> {
            Map<String, Long> states = counts.computeIfAbsent(row.getString("dag_id"), id -> new java.util.HashMap<>());
            if (row.getString("state") != null) {
                states.put(row.getString("state"), row.getLong("n"));
            }
            return null;
        });
        return counts;
    }

    public java.util.Optional<Listed> find(String dagId, String runId) {
        return jdbc.queryOne(
                "SELECT " + SELECT + " FROM dag_run WHERE dag_id = :dagId AND run_id = :runId",
                Params.of("dagId", dagId).and("runId", runId),
                LISTED);
    }
}
