package dev.gust.core.store.cleanup;

import java.util.List;

/**
 * One table that {@code gust db clean} empties of old rows: its key (the order of the batches),
 * the rows it reads to judge a row ({@code from}, the cleaned table aliased {@code t}), which rows
 * are old ({@code old}, with {@code :before}), the extra condition a row must meet at deletion time
 * ({@code childless}: its child rows are gone, so that no FK cascade deletes rows the archive would
 * miss), the same bound as the last key's on the joined tables ({@code joinedAfterLast}, so that a
 * merge join does not read them from their start at every batch), and the tables whose rows go
 * with it ({@code dependents}, cleaned first).
 */
public record CleanedTable(
        String name,
        List<String> key,
        String from,
        String old,
        String childless,
        String joinedAfterLast,
        List<String> dependents) {

    /** The comparison of the key with the last key of the previous batch: {@code (t.a, t.b) > (:k1, :k2)}. */
    String keyAfterLast() {
        StringBuilder left = new StringBuilder("(");
        StringBuilder right = new StringBuilder("(");
        for (int i = 0; i < key.size(); i++) {
            left.append(i == 0 ? "" : ", ").append("t.").append(key.get(i));
            right.append(i == 0 ? "" : ", ").append(":k").append(i + 1);
        }
        String own = left.append(") > ").append(right).append(")").toString();
        return joinedAfterLast.isEmpty() ? own : own + " AND " + joinedAfterLast;
    }

    String keyList(String alias) {
        return String.join(
                ", ", key.stream().map(column -> alias + "." + column).toList());
    }

    String keyJoin(String left, String right) {
        return String.join(
                " AND ",
                key.stream().map(c -> left + "." + c + " = " + right + "." + c).toList());
    }
}
