package dev.gust.core.store.connections;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.util.Map;

/**
 * Paged listings of Connections for the REST API's {@code /connections}. The secret columns are
 * not even read: a listing never shows them, so it never decrypts them.
 */
public final class ConnectionQuery {

    /** The fields {@code order_by} accepts, as Airflow names them. */
    public static final Map<String, String> ORDER_COLUMNS = OrderBy.columns(
            Map.entry("connection_id", "conn_id"),
            Map.entry("conn_type", "conn_type"),
            Map.entry("host", "host"),
            Map.entry("description", "description"));

    private final Jdbc jdbc;

    public ConnectionQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "connection_id", "conn_id");
    }

    /** Connections with {@code password} and {@code extra} null. */
    public Page<Connection> list(OrderBy order, int limit, int offset) {
        return PagedQuery.run(
                jdbc,
                "conn_id, conn_type, description, host, schema, login, port",
                " FROM connection",
                Params.none(),
                order,
                limit,
                offset,
                row -> new Connection(
                        row.getString("conn_id"),
                        row.getString("conn_type"),
                        row.getString("description"),
                        row.getString("host"),
                        row.getString("schema"),
                        row.getString("login"),
                        null,
                        Jdbc.nullableInt(row, "port"),
                        null));
    }
}
