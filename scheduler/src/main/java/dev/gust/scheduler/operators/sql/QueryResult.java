package dev.gust.scheduler.operators.sql;

import java.util.List;

/**
 * The rows of the last statement of a script that returned rows (Airflow's {@code fetch_all}
 * handler), and whether the statement returned more rows than the limit allowed.
 */
record QueryResult(List<String> columns, List<List<Object>> rows, boolean overLimit, int statements) {

    static QueryResult none(int statements) {
        return new QueryResult(List.of(), List.of(), false, statements);
    }

    boolean hasRows() {
        return !columns.isEmpty();
    }
}
