package dev.gust.core.store.dags;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Paged listings of the {@code dag} table with Airflow's filters (id pattern, tags, active,
 * paused) and whether each DAG's file has an import error, for the REST API's {@code /dags}.
 */
public final class DagQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("dag_id", "d.dag_id"),
            Map.entry("is_paused", "d.is_paused"),
            Map.entry("is_active", "d.is_active"),
            Map.entry("owners", "d.owners"),
            Map.entry("fileloc", "d.fileloc"),
            Map.entry("last_parsed_time", "d.last_parsed_at"));

    /** What to list; null fields do not filter. */
    public record Filter(String dagIdPattern, List<String> tags, boolean onlyActive, Boolean paused) {}

    /** A DAG and whether its file currently fails to load. */
    public record Listed(StoredDag dag, boolean hasImportErrors) {}

    private static final String SELECT = """
            d.dag_id, d.is_paused, d.is_active, d.fileloc, d.description, d.owners, d.tags, d.schedule_expression,
            d.timetable_description, d.max_active_runs, d.max_active_tasks, d.version_hash, d.last_parsed_at,
            d.created_at, d.updated_at, d.next_dagrun_data_interval_start, d.next_dagrun_data_interval_end,
            d.dag_display_name, d.default_view, d.owner_links::text AS owner_links, d.bundle_version,
            EXISTS (SELECT 1 FROM import_error ie WHERE ie.filename = d.fileloc) AS has_import_errors""";

    private static final String FROM_WHERE = """
             FROM dag d
            WHERE (CAST(:pattern AS text) IS NULL OR d.dag_id ILIKE '%' || CAST(:pattern AS text) || '%')
              AND (CAST(:tags AS text[]) IS NULL OR d.tags && CAST(:tags AS text[]))
              AND (NOT :onlyActive OR d.is_active)
              AND (CAST(:paused AS boolean) IS NULL OR d.is_paused = CAST(:paused AS boolean))""";

    private static final RowMapper<Listed> LISTED =
            row -> new Listed(DagRepository.DAG.map(row), row.getBoolean("has_import_errors"));

    private final Jdbc jdbc;

    public DagQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "dag_id", "d.dag_id");
    }

    public Page<Listed> list(Filter filter, OrderBy order, int limit, int offset) {
        return PagedQuery.run(jdbc, SELECT, FROM_WHERE, params(filter), order, limit, offset, LISTED);
    }

    /** One DAG with its import-error flag, active or not. */
    public java.util.Optional<Listed> find(String dagId) {
        return jdbc.queryOne(
                "SELECT " + SELECT + " FROM dag d WHERE d.dag_id = :dagId", Params.of("dagId", dagId), LISTED);
    }

    /**
     * What a DAG listing depends on, in one cheap aggregate over the {@code dag} and
     * {@code import_error} rows: their number and a sum of hashes of each row version
     * ({@code xmin} changes with every insert and update). Any committed change by any process
     * changes it; a timestamp would not, since a transaction that commits later may carry an
     * earlier {@code now()}.
     */
    public record Fingerprint(
            long dags, java.math.BigDecimal dagVersions, long importErrors, java.math.BigDecimal importErrorVersions) {}

    public Fingerprint fingerprint() {
        return jdbc.queryOne(
                        """
                SELECT d.n AS dags, d.versions AS dag_versions, e.n AS import_errors, e.versions AS import_error_versions
                  FROM (SELECT count(*) AS n, coalesce(sum(hashtextextended(dag_id || ':' || xmin::text, 0)), 0) AS versions
                          FROM dag) d,
                       (SELECT count(*) AS n, coalesce(sum(hashtextextended(id || ':' || xmin::text, 0)), 0) AS versions
                          FROM import_error) e""",
                        Params.none(),
                        row -> new Fingerprint(
                                row.getLong("dags"),
                                row.getBigDecimal("dag_versions"),
                                row.getLong("import_errors"),
                                row.getBigDecimal("import_error_versions")))
                .orElseThrow();
    }

    /** Pauses or unpauses these DAGs in one statement; returns how many exist. */
    public int setPaused(Collection<String> dagIds, boolean paused) {
        return jdbc.update(
                "UPDATE dag SET is_paused = :paused, updated_at = now() WHERE dag_id = ANY (:ids)",
                Params.of("ids", dagIds).and("paused", paused));
    }

    private static Params params(Filter filter) {
        return Params.of(
                        "pattern",
                        filter.dagIdPattern() == null || filter.dagIdPattern().isBlank()
                                ? null
                                : escapeLike(filter.dagIdPattern()))
                .and("tags", filter.tags() == null || filter.tags().isEmpty() ? null : filter.tags())
                .and("onlyActive", filter.onlyActive())
                .and("paused", filter.paused());
    }

    /** The pattern is a substring, as Airflow's; LIKE's own wildcards in it are taken literally. */
    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
