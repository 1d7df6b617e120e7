package dev.gust.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    private static final String MESSAGE = "task 'load': unknown argument 'retry_delay_seconds' for operator 'bash';"
            + " the arguments of bash are bash_command, env, append_env, cwd and output_encoding";

    @Test
    void aTableThatFitsIsPrintedAsItIs() {
        Table table = new Table("filepath", "line", "error").add("a.yaml", "3", "invalid YAML");

        assertThat(print(table, 80)).isEqualTo("""
                filepath | line | error
                ---------+------+-------------
                a.yaml   | 3    | invalid YAML
                """);
    }

    @Test
    void aLongCellWrapsInItsColumnWithinTheWidthAndLosesNothing() {
        Table table = new Table("filepath", "line", "error")
                .add("dags/etl/orders.yaml", "12", MESSAGE)
                .add("b.yaml", "1", "invalid YAML");

        String printed = print(table, 60);

        assertThat(printed.lines()).allMatch(line -> line.length() <= 60);
        List<String> lines = printed.lines().toList();
        // the narrow columns keep their width; the message takes the rest: 60 - 20 - 4 - 2 separators
        assertThat(lines.get(0)).isEqualTo("filepath             | line | error");
        assertThat(lines.get(2)).startsWith("dags/etl/orders.yaml | 12   | task 'load': unknown");
        assertThat(lines.get(3)).startsWith("                     |      | ");
        assertThat(lines.getLast()).isEqualTo("b.yaml               | 1    | invalid YAML");
        String rejoined = String.join(
                " ",
                lines.subList(2, lines.size() - 1).stream()
                        .map(line -> line.substring(line.lastIndexOf(" | ") + 3))
                        .toList());
        assertThat(rejoined).isEqualTo(MESSAGE);
    }

    @Test
    void everyColumnWiderThanItsShareIsNarrowed() {
        Table table = new Table("a", "b").add("x".repeat(50), "y".repeat(50));

        assertThat(table.columnWidths(43)).containsExactly(20, 20);
        assertThat(table.columnWidths(200)).containsExactly(50, 50);
    }

    @Test
    void aWordLongerThanTheColumnIsCutAndNewlinesBreakLines() {
        assertThat(Table.wrap("abcdefghijkl mn", 5)).containsExactly("abcde", "fghij", "kl mn");
        assertThat(Table.wrap("first line\nsecond", 20)).containsExactly("first line", "second");
        assertThat(Table.wrap("", 5)).containsExactly("");
    }

    @Test
    void jsonHoldsEveryCellWhole() {
        Table table = new Table("filepath", "error").add("a.yaml", MESSAGE);

        assertThat(printJson(table)).contains("\"error\" : \"" + MESSAGE + "\"");
    }

    @Test
    void theWidthIsColumnsOrOneHundredAndTwentyAndNeverBelowForty() {
        assertThat(TerminalWidth.parse(null)).isEqualTo(120);
        assertThat(TerminalWidth.parse("")).isEqualTo(120);
        assertThat(TerminalWidth.parse("wide")).isEqualTo(120);
        assertThat(TerminalWidth.parse("80")).isEqualTo(80);
        assertThat(TerminalWidth.parse(" 200 ")).isEqualTo(200);
        assertThat(TerminalWidth.parse("12")).isEqualTo(40);
    }

    private static String print(Table table, int width) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text), OutputFormat.table, width);
        return text.toString();
    }

    private static String printJson(Table table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text), OutputFormat.json, 40);
        return text.toString();
    }
}
