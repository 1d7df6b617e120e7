package dev.gust.core.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A SQL statement with {@code :name} parameters, rewritten to JDBC's positional {@code ?}
 * markers. PostgreSQL's {@code ::type} casts and anything inside quotes or comments are left
 * alone, so repositories can write plain PostgreSQL.
 */
record NamedSql(String jdbcSql, List<String> parameterNames) {

    static NamedSql parse(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int skipTo = SqlText.endOfLiteralOrComment(sql, i);
            if (skipTo >= 0) {
                out.append(sql, i, skipTo);
                i = skipTo;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new NamedSql(out.toString(), List.copyOf(names));
    }
}
