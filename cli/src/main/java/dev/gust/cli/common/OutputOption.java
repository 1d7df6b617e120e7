package dev.gust.cli.common;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The picocli mixin of a command that prints rows: {@code @Mixin OutputOption output;} gives it
 * {@code -o/--output table|json}, named, defaulted and described as on every other such command.
 */
// picocli takes a class as a mixin only when it carries one of its annotations; an empty @Command adds nothing to help
@Command
public final class OutputOption {

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    // the field's name is the option's label in help (-o=<output>)
    OutputFormat output;

    public OutputFormat format() {
        return output;
    }
}
