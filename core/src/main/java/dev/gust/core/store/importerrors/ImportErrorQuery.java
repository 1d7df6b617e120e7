package dev.gust.core.store.importerrors;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.util.Map;
import java.util.Optional;

/** Paged listings of import errors for the REST API's {@code /importErrors}. */
public final class ImportErrorQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("import_error_id", "id"), Map.entry("timestamp", "timestamp"), Map.entry("filename", "filename"));

    private final Jdbc jdbc;

    public ImportErrorQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "import_error_id", "id");
    }

    public Page<StoredImportError> list(OrderBy order, int limit, int offset) {
        return PagedQuery.run(
                jdbc,
                ImportErrorRepository.COLUMNS,
                " FROM import_error",
                Params.none(),
                order,
                limit,
                offset,
                ImportErrorRepository.IMPORT_ERROR);
    }

    public Optional<StoredImportError> find(long id) {
        return jdbc.queryOne(
                "SELECT " + ImportErrorRepository.COLUMNS + " FROM import_error WHERE id = :id",
                Params.of("id", id),
                ImportErrorRepository.IMPORT_ERROR);
    }
}
