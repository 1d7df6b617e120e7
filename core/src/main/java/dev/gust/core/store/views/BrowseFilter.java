package dev.gust.core.store.views;

import dev.gust.core.store.Params;
import java.time.Instant;
import java.util.List;

/**
 * What the cross-DAG Browse pages filter by: one DAG (null for all), states (empty for all) and
 * when the run or task instance started ({@code startedFrom} inclusive, {@code startedTo}
 * exclusive; null for open). The WHERE clause holds only the conditions that are set, so that
 * PostgreSQL plans each combination with the indexes it can use instead of one generic plan
 * for "maybe null" parameters.
 */
public record BrowseFilter(String dagId, List<String> states, Instant startedFrom, Instant startedTo) {

    public BrowseFilter {
        dagId = dagId == null || dagId.isBlank() ? null : dagId.strip();
        states = states == null ? List.of() : List.copyOf(states);
    }

    public static BrowseFilter none() {
        return new BrowseFilter(null, List.of(), null, null);
    }

    /** {@code WHERE ...} over the table aliased {@code alias}; the values go into {@code params}. */
    String where(String alias, Params params) {
        StringBuilder sql = new StringBuilder(" WHERE true");
        if (dagId != null) {
            sql.append(" AND ").append(alias).append(".dag_id = :dagId");
            params.and("dagId", dagId);
        }
        if (!states.isEmpty()) {
            sql.append(" AND ").append(alias).append(".state = ANY (:states)");
            params.and("states", states);
        }
        if (startedFrom != null) {
            sql.append(" AND ").append(alias).append(".start_date >= :startedFrom");
            params.and("startedFrom", startedFrom);
        }
        if (startedTo != null) {
            sql.append(" AND ").append(alias).append(".start_date < :startedTo");
            params.and("startedTo", startedTo);
        }
        return sql.toString();
    }
}
