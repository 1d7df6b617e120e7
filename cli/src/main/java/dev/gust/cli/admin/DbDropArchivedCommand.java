package dev.gust.cli.admin;

import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.store.cleanup.CleanedTables;
import dev.gust.core.store.cleanup.MetadataCleanup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gust db drop-archived}, as Airflow's: drops the archive tables {@code gust db clean} made. */
@Command(
        name = "drop-archived",
        mixinStandardHelpOptions = true,
        description = "Drop the archive tables made by 'gust db clean'.")
final class DbDropArchivedCommand implements Runnable {

    static final String CONFIRMATION = "drop archived tables";

    @Mixin
    MetadataAccess metadata;

    @Option(
            names = {"-t", "--tables"},
            split = ",",
            paramLabel = "TABLE",
            description = "Only the archives of these tables (comma-separated). Choices: ${COMPLETION-CANDIDATES}",
            completionCandidates = DbCleanCommand.TableNames.class)
    List<String> tables = List.of();

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public void run() {
        for (String table : tables) {
            if (CleanedTables.named(table).isEmpty()) {
                throw new UserError(
                        "--tables: unknown table '" + table + "'; choose among "
                                + String.join(", ", CleanedTables.names()),
                        2);
            }
        }
        PrintWriter out = metadata.out();
        try (CliContext cli = metadata.open()) {
            MetadataCleanup cleanup = cli.metadataCleanup();
            List<String> archives = cleanup.archiveTables(tables);
            if (archives.isEmpty()) {
                out.println("No archive tables to drop.");
                return;
            }
            if (!yes) {
                out.println("You have requested that we drop these archive tables (irreversible):");
                archives.forEach(name -> out.println("  " + name));
                out.println("Enter '" + CONFIRMATION + "' (without quotes) to proceed.");
                out.flush();
                String answer;
                try {
                    answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (answer == null || !answer.strip().equals(CONFIRMATION)) {
                    throw new UserError("not confirmed; nothing was dropped (pass --yes to skip the question)");
                }
            }
            for (String archive : archives) {
                long rows = cleanup.archivedRows(archive);
                cleanup.dropArchive(archive);
                out.printf("dropped %s (%,d rows)%n", archive, rows);
            }
            out.printf("Dropped %d archive tables.%n", archives.size());
        }
    }
}
