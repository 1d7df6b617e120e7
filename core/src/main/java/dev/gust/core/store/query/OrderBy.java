package dev.gust.core.store.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sort order taken from a client's {@code order_by} ({@code field} or {@code -field} for
 * descending). The field must be a key of the listing's whitelist, which maps it to a SQL
 * expression written by us: user input never reaches the SQL text. A tie-breaker on the
 * listing's key keeps pages stable.
 */
public record OrderBy(String field, String sqlExpression, boolean descending, String tieBreaker) {

    /** Thrown when {@code order_by} names a field the listing cannot sort by. */
    public static final class InvalidOrderByException extends IllegalArgumentException {
        public InvalidOrderByException(String message) {
            super(message);
        }
    }

    /**
     * @param orderBy the client's value; null or blank for {@code defaultField}
     * @param columns the fields clients may sort by, mapped to SQL expressions (insertion order is the order shown in errors)
     * @param tieBreaker SQL expression of the listing's unique key
     */
    public static OrderBy parse(String orderBy, Map<String, String> columns, String defaultField, String tieBreaker) {
        String value = orderBy == null || orderBy.isBlank() ? defaultField : orderBy.strip();
        boolean descending = value.startsWith("-");
        String field = descending ? value.substring(1) : value;
        String sql = columns.get(field);
        if (sql == null) {
            throw new InvalidOrderByException("order_by '" + value + "' is not allowed; use one of "
                    + String.join(", ", columns.keySet()) + " (with '-' before it for descending)");
        }
        return new OrderBy(field, sql, descending, tieBreaker);
    }

    /**
     * A listing's whitelist for {@link #parse}: each field name with the SQL expression it sorts
     * by, in the order an error lists them.
     */
    @SafeVarargs
    public static Map<String, String> columns(Map.Entry<String, String>... fieldToExpression) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : fieldToExpression) {
            columns.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(columns);
    }

    /** The ORDER BY clause, without the keywords. */
    public String sql() {
        String direction = descending ? " DESC" : " ASC";
        String clause = sqlExpression + direction + (descending ? " NULLS LAST" : " NULLS FIRST");
        return sqlExpression.equals(tieBreaker) ? clause : clause + ", " + tieBreaker + direction;
    }
}
