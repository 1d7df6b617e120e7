package dev.gust.core.store.variables;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.util.Map;

/**
 * Paged listings of Variables for the REST API's {@code /variables}: keys and descriptions, never
 * values (a listing has no business decrypting secrets), so each item's value is null.
 */
public final class VariableQuery {

    /** The fields {@code order_by} accepts. */
    public static final Map<String, String> ORDER_COLUMNS = Map.of("key", "key");

    private final Jdbc jdbc;

    public VariableQuery(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static OrderBy orderBy(String orderBy) {
        return OrderBy.parse(orderBy, ORDER_COLUMNS, "key", "key");
    }

    public Page<Variable> list(OrderBy order, int limit, int offset) {
        return PagedQuery.run(
                jdbc,
                "key, description",
                " FROM variable",
                Params.none(),
                order,
                limit,
                offset,
                row -> new Variable(row.getString("key"), null, row.getString("description")));
    }
}
