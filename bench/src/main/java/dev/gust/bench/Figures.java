package dev.gust.bench;

import java.util.ArrayList;
import java.util.List;

/** The rows of a benchmark's table; the command that runs it prints them. */
public final class Figures {

    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public Figures(String... columns) {
        this.columns = List.of(columns);
    }

    public Figures add(String... row) {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException("row has " + row.length + " cells for " + columns.size() + " columns");
        }
        rows.add(List.of(row));
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }
}
