package dev.gust.cli.admin;

import dev.gust.cli.GustCommand;
import dev.gust.cli.common.DateArgument;
import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.store.cleanup.CleanedTable;
import dev.gust.core.store.cleanup.CleanedTables;
import dev.gust.core.store.cleanup.CleanupProgress;
import dev.gust.core.store.cleanup.CleanupRequest;
import dev.gust.core.store.cleanup.MetadataCleanup;
import dev.gust.core.store.cleanup.TableCleanup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gust db clean}, as Airflow's {@code airflow db clean}: deletes the rows older than a
 * timestamp from the tables that grow with every run (runs, task instances, their logs and XComs,
 * the audit log, jobs, sessions, import errors), keeping the latest scheduled run of each DAG, and
 * archives them into {@code _gust_archive_<table>_<timestamp>} tables unless told not to. It works
 * in small transactions while the scheduler runs; {@code --dry-run} only counts.
 */
@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = "Purge old records from the metadata database, archiving them unless --skip-archive.")
final class DbCleanCommand implements Runnable {

    static final String CONFIRMATION = "delete rows";

    @Mixin
    MetadataAccess metadata;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--clean-before-timestamp",
            required = true,
            paramLabel = "TIMESTAMP",
            description = "Purge rows older than this, such as 2024-01-31 or 2024-01-31T06:00:00+00:00 (UTC when "
                    + "it names no offset).")
    String cleanBefore;

    @Option(
            names = {"-t", "--tables"},
            split = ",",
            paramLabel = "TABLE",
            description = "Only these tables (comma-separated), with the tables whose rows go with theirs. "
                    + "Choices: ${COMPLETION-CANDIDATES}",
            completionCandidates = TableNames.class)
    List<String> tables = List.of();

    @Option(names = "--dry-run", description = "Only count the rows that would be purged.")
    boolean dryRun;

    @Option(names = "--skip-archive", description = "Do not keep the purged rows in archive tables.")
    boolean skipArchive;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "" + CleanupRequest.DEFAULT_BATCH_SIZE,
            description = "Rows per transaction (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** The table names, for picocli's help and completion. */
    static final class TableNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return CleanedTables.names().iterator();
        }
    }

    @Override
    public void run() {
        Instant before = DateArgument.parse(cleanBefore, "--clean-before-timestamp");
        if (batchSize < 1) {
            throw new UserError("--batch-size must be 1 or more; got " + batchSize, 2);
        }
        List<CleanedTable> selected;
        try {
            selected =
                    CleanedTables.selection(tables.stream().map(String::strip).toList());
        } catch (IllegalArgumentException e) {
            throw new UserError("--tables: " + e.getMessage(), 2);
        }
        PrintWriter out = metadata.out();
        boolean verbose = GustCommand.of(spec).verbose();
        List<String> names = selected.stream().map(CleanedTable::name).toList();
        try (CliContext cli = metadata.open()) {
            MetadataCleanup cleanup = cli.metadataCleanup();
            if (dryRun) {
                out.println("Dry run: rows older than " + before + " that would be purged:");
                for (CleanedTable table : selected) {
                    out.printf("  %-15s %,d%n", table.name(), cleanup.count(table, before));
                    if (verbose) {
                        out.println("      " + table.old());
                    }
                }
                out.println("Nothing was deleted.");
                return;
            }
            if (!yes) {
                confirm(out, before, names);
            }
            CleanupRequest request = new CleanupRequest(
                    before, selected, skipArchive, batchSize, CleanupRequest.DEFAULT_LOCK_TIMEOUT, Instant.now());
            out.println("Purging rows older than " + before + " from " + String.join(", ", names) + " in batches of "
                    + batchSize + (skipArchive ? " (not archived)" : ""));
            out.flush();
            List<TableCleanup> outcomes = cleanup.clean(request, new PrintedProgress(out, verbose));
            printSummary(out, outcomes);
        }
    }

    private void confirm(PrintWriter out, Instant before, List<String> names) {
        out.println("You have requested that we purge all data prior to " + before + " for tables " + names + ".");
        out.println("This is irreversible" + (skipArchive ? "" : " once the archive tables are dropped")
                + ". Consider backing up the tables first and/or doing a dry run with option --dry-run.");
        out.println("Enter '" + CONFIRMATION + "' (without quotes) to proceed.");
        out.flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answer == null || !answer.strip().equals(CONFIRMATION)) {
            throw new UserError("not confirmed; nothing was deleted (pass --yes to skip the question)");
        }
    }

    private static void printSummary(PrintWriter out, List<TableCleanup> outcomes) {
        out.println();
        out.printf("%-15s %12s %12s  %s%n", "table", "old rows", "purged", "archive");
        long total = 0;
        for (TableCleanup outcome : outcomes) {
            total += outcome.deleted();
            out.printf(
                    "%-15s %,12d %,12d  %s%s%n",
                    outcome.table(),
                    outcome.candidates(),
                    outcome.deleted(),
                    outcome.archive() == null ? "-" : outcome.archive(),
                    outcome.stoppedEarly() ? "  (stopped: rows locked by other transactions; run again later)" : "");
        }
        out.printf("Purged %,d rows.%n", total);
        if (outcomes.stream().anyMatch(o -> o.deleted() < o.candidates())) {
            out.println("Rows in use by another transaction, or kept because their children are, were left for "
                    + "the next clean.");
        }
    }

    /** Prints a line per table and per batch as the clean goes. */
    private record PrintedProgress(PrintWriter out, boolean verbose) implements CleanupProgress {
        @Override
        public void tableStarted(CleanedTable table, long candidates, String archive) {
            out.printf(
                    "%s: %,d rows to purge%s%n", table.name(), candidates, archive == null ? "" : " into " + archive);
            if (verbose) {
                out.println("  rule: " + table.old());
            }
            out.flush();
        }

        @Override
        public void batchDone(CleanedTable table, int number, int rows, long deletedSoFar, Duration took) {
            out.printf(
                    "  %s batch %d: %,d rows in %d ms (%,d so far)%n",
                    table.name(), number, rows, took.toMillis(), deletedSoFar);
            out.flush();
        }

        @Override
        public void lockWaitGaveUp(CleanedTable table, int attempt) {
            out.printf("  %s: a lock was not granted in time (attempt %d); retrying%n", table.name(), attempt);
            out.flush();
        }
    }
}
