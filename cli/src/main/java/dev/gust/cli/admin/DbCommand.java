package dev.gust.cli.admin;

import dev.gust.cli.common.UserError;
import dev.gust.cli.context.CliContext;
import dev.gust.cli.context.MetadataAccess;
import dev.gust.core.store.Database;
import dev.gust.core.store.DatabaseStatus;
import dev.gust.core.store.MigrationOutcome;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gust db migrate|check}: the metadata database's schema; {@code gust db clean|drop-archived}: its
 * old rows ({@link DbCleanCommand}).
 */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = "Manage the metadata database.",
        subcommands = {DbCommand.Migrate.class, DbCommand.Check.class, DbCleanCommand.class, DbDropArchivedCommand.class
        })
public final class DbCommand {

    @Command(
            name = "migrate",
            mixinStandardHelpOptions = true,
            description = "Apply pending schema migrations (safe to run from several processes at once).")
    static final class Migrate implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Override
        public void run() {
            PrintWriter out = metadata.out();
            try (CliContext cli = metadata.connect()) {
                MigrationOutcome outcome = cli.database().migrate();
                out.println(
                        outcome.applied() == 0
                                ? "database is up to date (schema version " + outcome.schemaVersion() + ")"
                                : "applied " + outcome.applied() + " migrations; schema version "
                                        + outcome.schemaVersion());
            }
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Tell whether the database is reachable and its schema up to date; exit 1 if not.")
    static final class Check implements Runnable {
        @Mixin
        MetadataAccess metadata;

        @Override
        public void run() {
            try (CliContext cli = metadata.connect()) {
                Database database = cli.database();
                DatabaseStatus status = database.check();
                if (!status.reachable()) {
                    throw new UserError(status.problem());
                }
                if (status.pendingMigrations() > 0) {
                    throw new UserError("database reachable at " + database.url() + " but " + status.pendingMigrations()
                            + " migrations are pending (schema version " + status.schemaVersion()
                            + "); run 'gust db migrate'");
                }
                metadata.out()
                        .println("database reachable at " + database.url() + "; schema up to date (version "
                                + status.schemaVersion() + ")");
            }
        }
    }
}
