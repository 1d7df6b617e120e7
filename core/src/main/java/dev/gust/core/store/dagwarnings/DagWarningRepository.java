package dev.gust.core.store.dagwarnings;

import dev.gust.core.dag.warnings.DagWarning;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code dag_warning} table: the DAG folder sync replaces a DAG's warnings whenever it stores
 * the DAG; the UI, {@code gust dags list-import-errors} and {@code GET /api/v1/dagWarnings} read
 * them. Only warnings of active DAGs are listed: a DAG whose file went away keeps its row (and
 * its warnings come back with it) but is no longer anyone's concern.
 */
public final class DagWarningRepository {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("dag_id", "w.dag_id"),
            Map.entry("warning_type", "w.warning_type"),
            Map.entry("timestamp", "w.timestamp"),
            Map.entry("message", "w.message"));

    private static final String COLUMNS = "w.dag_id, w.warning_type, w.message, w.timestamp";
    private static final RowMapper<StoredDagWarning> WARNING = row -> new StoredDagWarning(
            row.getString("dag_id"),
            row.getString("warning_type"),
            row.getString("message"),
            Jdbc.instant(row, "timestamp"));

    private final Jdbc jdbc;

    public DagWarningRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces every warning of each of {@code dagIds} with those of {@code warnings} (none = cleared), in one transaction. */
    public void replaceForDags(Collection<String> dagIds, Collection<DagWarning> warnings) {
        if (dagIds.isEmpty()) {
            return;
        }
        jdbc.inTransaction(tx -> {
            tx.update("DELETE FROM dag_warning WHERE dag_id = ANY (:dagIds)", Params.of("dagIds", dagIds));
            for (DagWarning warning : warnings) {
                tx.update(
                        """
                        INSERT INTO dag_warning (dag_id, warning_type, message, timestamp)
                        VALUES (:dagId, :warningType, :message, now())
                        ON CONFLICT (dag_id, warning_type) DO UPDATE SET message = EXCLUDED.message
                        """,
                        Params.of("dagId", warning.dagId())
                                .and("warningType", warning.warningType())
                                .and("message", warning.message()));
            }
            return null;
        });
    }

    /** The warnings of one DAG (empty when it is inactive). */
    public List<StoredDagWarning> listForDag(String dagId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM dag_warning w JOIN dag d ON d.dag_id = w.dag_id"
                        + " WHERE d.is_active AND w.dag_id = :dagId ORDER BY w.warning_type",
                Params.of("dagId", dagId),
                WARNING);
    }

    /** Every warning of an active DAG, by DAG and type. */
    public List<StoredDagWarning> list() {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM dag_warning w JOIN dag d ON d.dag_id = w.dag_id"
                        + " WHERE d.is_active ORDER BY w.dag_id, w.warning_type",
                Params.none(),
                WARNING);
    }

    /** How many warnings each active DAG has, for listings; DAGs without any are left out. */
    public Map<String, Integer> countsByDag() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.query(
                "SELECT w.dag_id, count(*) AS n FROM dag_warning w JOIN dag d ON d.dag_id = w.dag_id"
                        + " WHERE d.is_active GROUP BY w.dag_id ORDER BY w.dag_id",
                Params.none(),
                row -> counts.put(row.getString("dag_id"), row.getInt("n")));
        return counts;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "dag_id", "(w.dag_id, w.warning_type)");
    }

    /** A page of warnings of active DAGs, optionally of one DAG and/or one type, for the REST API. */
    public Page<StoredDagWarning> page(String dagId, String warningType, OrderBy order, int limit, int offset) {
        return PagedQuery.run(
                jdbc,
                COLUMNS,
                " FROM dag_warning w JOIN dag d ON d.dag_id = w.dag_id WHERE d.is_active"
                        + " AND (CAST(:dagId AS text) IS NULL OR w.dag_id = :dagId)"
                        + " AND (CAST(:warningType AS text) IS NULL OR w.warning_type = :warningType)",
                Params.of("dagId", dagId).and("warningType", warningType),
                order,
                limit,
                offset,
                WARNING);
    }
}
