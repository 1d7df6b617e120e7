package dev.gust.bench;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a benchmark gets from the command that runs it: where its progress goes, how its figures
 * are printed, how its throwaway metadata database is opened (as the CLI opens every database),
 * and the command line that starts a {@code gust} process (the chaos benchmark starts schedulers).
 * The CLI builds it; the benchmarks never reach back into the CLI.
 *
 * @param gustCommand the program and arguments that run {@code gust}, before its subcommand
 */
public record BenchContext(
        PrintWriter out,
        Function<GustConfig, Database> openDatabase,
        Consumer<Figures> printTable,
        List<String> gustCommand) {}
