package dev.gust.core.store.importerrors;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.util.Map;
import java.util.Optional;

/** Paged listings of import errors for the REST API's {@code /importErrors}. */
public final class ImportErrorQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS =
            orderedMap("import_error_id", "id", "timestamp", "timestamp", "filename", "filename");

    private static final RowMapper<StoredImportError> IMPORT_ERROR = row -> new StoredImportError(
            row.getLong("id"),
            row.getString("filename"),
            Jdbc.nullableInt(row, "line"),
            row.getString("message"),
            Jdbc.instant(row, "timestamp"));

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
                "id, filename, line, message, timestamp",
                " FROM import_error",
                Params.none(),
                order,
                limit,
                offset,
                IMPORT_ERROR);
    }

    public Optional<StoredImportError> find(long id) {
        return jdbc.queryOne(
                "SELECT id, filename, line, message, timestamp FROM import_error WHERE id = :id",
                Params.of("id", id),
                IMPORT_ERROR);
    }

    static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
