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
 * Rows printed either as aligned columns that fit the terminal (a long cell wraps onto further
 * lines of its column, never cut) or as a JSON array of objects keyed by the column names with
 * every cell whole, as Airflow's {@code --output table|json} does.
 */
public final class Table {

    private static final String SEPARATOR = " | ";
    /** A wrapped column is at least this wide, so that words stay whole. */
    static final int MIN_WRAPPED = 10;

    /** Initialized by the first table printed as JSON: a table printed as text need not load Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

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

    /** Prints the rows; a table for people fits the terminal's width ({@link TerminalWidth}). */
    public void print(PrintWriter out, OutputFormat format) {
        print(out, format, TerminalWidth.columns());
    }

    /** Prints the rows; a table for people is wrapped to fit in {@code width} columns. */
    void print(PrintWriter out, OutputFormat format, int width) {
        switch (format) {
            case json -> printJson(out);
            case table -> printTable(out, width);
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
            out.println(Json.MAPPER.writeValueAsString(objects));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void printTable(PrintWriter out, int width) {
        int[] widths = columnWidths(width);
        printRow(out, columns, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
        rows.forEach(row -> printRow(out, row, widths));
    }

    /**
     * Each column as wide as its widest line when the table fits in {@code width}; otherwise the
     * columns narrower than a fair share of the width keep their width and the others share what is
     * left, never narrower than their heading or {@link #MIN_WRAPPED}.
     */
    int[] columnWidths(int width) {
        int count = columns.size();
        int[] widths = new int[count];
        for (int i = 0; i < count; i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : rows) {
                for (String line : row.get(i).split("\n", -1)) {
                    widths[i] = Math.max(widths[i], line.length());
                }
            }
        }
        int available = width - SEPARATOR.length() * (count - 1);
        if (java.util.Arrays.stream(widths).sum() <= available) {
            return widths;
        }
        boolean[] kept = new boolean[count];
        int open = count;
        boolean keptAny = true;
        while (keptAny && open > 0) {
            keptAny = false;
            int share = available / open;
            for (int i = 0; i < count; i++) {
                if (!kept[i] && widths[i] <= share) {
                    kept[i] = true;
                    available -= widths[i];
                    open--;
                    keptAny = true;
                }
            }
        }
        int extra = open == 0 ? 0 : available % open;
        for (int i = 0; i < count; i++) {
            if (!kept[i]) {
                int share = available / open + (extra-- > 0 ? 1 : 0);
                widths[i] = Math.max(share, Math.max(MIN_WRAPPED, columns.get(i).length()));
            }
        }
        return widths;
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        List<List<String>> wrapped = new ArrayList<>();
        int height = 1;
        for (int i = 0; i < cells.size(); i++) {
            wrapped.add(wrap(cells.get(i), widths[i]));
            height = Math.max(height, wrapped.get(i).size());
        }
        for (int lineNumber = 0; lineNumber < height; lineNumber++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                List<String> cellLines = wrapped.get(i);
                String part = lineNumber < cellLines.size() ? cellLines.get(lineNumber) : "";
                line.append(i == 0 ? "" : SEPARATOR).append(part).append(" ".repeat(widths[i] - part.length()));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The cell's lines, each at most {@code width} long: broken at spaces, a longer word cut where it must be. */
    static List<String> wrap(String cell, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : cell.split("\n", -1)) {
            String rest = paragraph.stripTrailing();
            while (rest.length() > width) {
                int space = rest.lastIndexOf(' ', width);
                if (space <= 0) {
                    lines.add(rest.substring(0, width));
                    rest = rest.substring(width);
                } else {
                    lines.add(rest.substring(0, space).stripTrailing());
                    rest = rest.substring(space + 1);
                }
            }
            lines.add(rest);
        }
        return lines;
    }

    /** An instant as a cell: ISO-8601, or empty when there is none. */
    public static String cell(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
