package dev.gust.cli.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows printed either as aligned columns (cells truncated to keep one row per line) or as a JSON
 * array of objects keyed by the column names, as Airflow's {@code --output table|json} does.
 */
public final class Table {

    private static final int MAX_CELL = 60;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... columns) {
        this.columns = List.of(columns);
    }

    public Table add(List<String> row) {
        if (row.size() != columns.size()) {
            throw new IllegalArgumentException("row has " + row.size() + " cells for " + columns.size() + " columns");
        }
        rows.add(row.stream().map(cell -> cell == null ? "" : cell).toList());
        return this;
    }

    public Table add(String... row) {
        return add(java.util.Arrays.asList(row));
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * Prints the rows; an empty table printed for people is replaced by {@code hint} on
     * {@code err} (what to do to get rows), while scripts still get an empty JSON array.
     */
    public void printOrHint(PrintWriter out, PrintWriter err, OutputFormat format, String hint) {
        if (isEmpty() && format == OutputFormat.table) {
            err.println(hint);
            err.flush();
            return;
        }
        print(out, format);
    }

    public void print(PrintWriter out, OutputFormat format) {
        switch (format) {
            case json -> printJson(out);
            case table -> printTable(out);
        }
        out.flush();
    }

    private void printJson(PrintWriter out) {
        List<Map<String, String>> objects = new ArrayList<>();
        for (List<String> row : rows) {
            Map<String, String> object = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                object.put(columns.get(i).replace(' ', '_'), row.get(i));
            }
            objects.add(object);
        }
        try {
            out.println(JSON.writeValueAsString(objects));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void printTable(PrintWriter out) {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], clip(row.get(i)).length());
            }
        }
        printRow(out, columns, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
        rows.forEach(row -> printRow(out, row, widths));
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = clip(cells.get(i));
            line.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(widths[i] - cell.length()));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String clip(String cell) {
        String oneLine = cell.replace('\n', ' ');
        return oneLine.length() <= MAX_CELL ? oneLine : oneLine.substring(0, MAX_CELL - 1) + "…";
    }

    /** An instant as a cell: ISO-8601, or empty when there is none. */
    public static String cell(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
