package dev.gust.scheduler.operators.sql;

import dev.gust.core.store.SqlText;
import dev.gust.scheduler.operators.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the placeholders Airflow's PostgreSQL DAGs use (psycopg's {@code %(name)s} with a
 * mapping of parameters, {@code %s} with a list) into JDBC's {@code ?} and the values to bind in
 * order. Quoted strings, quoted identifiers and comments are copied untouched; {@code %%} is a
 * literal percent sign, as in psycopg.
 */
record SqlPlaceholders(String sql, List<Object> values) {

    static SqlPlaceholders bind(String sql, Object parameters) {
        Map<?, ?> named = parameters instanceof Map<?, ?> map ? map : null;
        List<?> positional = parameters instanceof List<?> list ? list : null;
        if (parameters != null && named == null && positional == null) {
            throw new InvalidArgumentException("parameters must be a mapping (for %(name)s) or a list (for %s)");
        }
        StringBuilder out = new StringBuilder(sql.length());
        List<Object> values = new ArrayList<>();
        int next = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int skipTo = SqlText.endOfLiteralOrComment(sql, i);
            if (skipTo >= 0) {
                out.append(sql, i, skipTo);
                i = skipTo;
            } else if (c == '%' && i + 1 < n && sql.charAt(i + 1) == '%') {
                out.append('%');
                i += 2;
            } else if (c == '%' && i + 1 < n && sql.charAt(i + 1) == 's') {
                if (positional == null || next >= positional.size()) {
                    throw new InvalidArgumentException(
                            "the sql has more %s placeholders than the parameters list has values");
                }
                values.add(positional.get(next++));
                out.append('?');
                i += 2;
            } else if (c == '%' && i + 1 < n && sql.charAt(i + 1) == '(') {
                int close = sql.indexOf(")s", i);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                String name = sql.substring(i + 2, close);
                if (named == null || !named.containsKey(name)) {
                    throw new InvalidArgumentException(
                            "the sql uses %(" + name + ")s but parameters has no '" + name + "'");
                }
                values.add(named.get(name));
                out.append('?');
                i = close + 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return new SqlPlaceholders(out.toString(), values);
    }
}
