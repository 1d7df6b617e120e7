package dev.gust.core.store;

/**
 * The one place that knows which parts of SQL text are not code: string and quoted-identifier
 * literals and comments. Placeholder rewriters (Gust's {@code :name}, the sql operator's
 * {@code %(name)s}) copy those parts untouched.
 */
public final class SqlText {

    private SqlText() {}

    /**
     * If a literal or a comment starts at {@code i}, the index just after it (the end of the text
     * when it is not closed); otherwise -1.
     */
    public static int endOfLiteralOrComment(String sql, int i) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
            int end = sql.indexOf(c, i + 1);
            return end < 0 ? n : end + 1;
        }
        if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
            int end = sql.indexOf('\n', i);
            return end < 0 ? n : end;
        }
        if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            int end = sql.indexOf("*/", i + 2);
            return end < 0 ? n : end + 2;
        }
        return -1;
    }
}
