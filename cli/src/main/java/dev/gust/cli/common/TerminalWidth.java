package dev.gust.cli.common;

/**
 * How many columns a table may fill: {@code COLUMNS} when set (the launcher exports the
 * terminal's width when stdout is one, since shells keep {@code COLUMNS} to themselves), else 120,
 * the width of a CI log or a file. It describes the terminal, not Gust, so it is not a setting of
 * Gust's configuration; {@code ls} and {@code git} read it the same way.
 */
public final class TerminalWidth {

    static final int DEFAULT = 120;
    /** Below this, wrapping makes tables harder to read than lines that run over. */
    static final int MINIMUM = 40;

    private TerminalWidth() {}

    public static int columns() {
        return parse(System.getenv("COLUMNS"));
    }

    static int parse(String columns) {
        if (columns == null || columns.isBlank()) {
            return DEFAULT;
        }
        try {
            return Math.max(MINIMUM, Integer.parseInt(columns.strip()));
        } catch (NumberFormatException e) {
            return DEFAULT;
        }
    }
}
