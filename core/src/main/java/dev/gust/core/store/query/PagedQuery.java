package dev.gust.core.store.query;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a listing as one statement that returns both the page and the number of matching rows
 * ({@code count(*) OVER ()}), so a page costs one round trip. Only when the page is empty (an
 * offset past the end) is the count asked for separately.
 */
public final class PagedQuery {

    private PagedQuery() {
    }

    /**
     * @param select the select list, without {@code SELECT}
     * @param fromWhere {@code FROM ... WHERE ...} with named parameters bound in {@code params}
     */
    public static <T> Page<T> run(Jdbc jdbc, String select, String fromWhere, Params params, OrderBy order, int limit,
                                  int offset, RowMapper<T> mapper) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must be 0 or more");
        }
        long[] total = {-1};
        List<T> items = new ArrayList<>(jdbc.query("SELECT " + select + ", count(*) OVER () AS paged_total_entries "
                + fromWhere + " ORDER BY " + order.sql() + " LIMIT :pagedLimit OFFSET :pagedOffset",
                params.and("pagedLimit", limit).and("pagedOffset", offset), row -> {
                    total[0] = row.getLong("paged_total_entries");
                    return mapper.map(row);
                }));
        if (items.isEmpty()) {
            total[0] = jdbc.queryOne("SELECT count(*) " + fromWhere, params, row -> row.getLong(1)).orElse(0L);
        }
        return new Page<>(items, total[0]);
    }
}
