package dev.gust.cli.context;

import dev.gust.cli.common.UserError;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Database;
import dev.gust.core.store.DatabaseSettings;
import dev.gust.core.store.DatabaseStatus;
import dev.gust.core.store.MigrationOutcome;
import dev.gust.core.store.PrivateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Opens the metadata database the way every command needs it. The embedded database (a laptop)
 * is migrated on open, so that {@code gust standalone} and the CLI just work; a configured server
 * is only checked, and a pending migration is an error that says to run {@code gust db migrate},
 * because in a deployment migrating is a deliberate step.
 */
public final class MetadataDatabase {

    private MetadataDatabase() {}

    /** Connects (starting the embedded server if needed) without touching the schema. */
    public static Database connect(GustConfig config, PrintWriter progress) {
        return connect(config, progress, true);
    }

    private static Database connect(GustConfig config, PrintWriter progress, boolean pooled) {
        DatabaseSettings settings;
        try {
            settings = DatabaseSettings.fromConfig(config.database());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + " (database.url)");
        }
        if (config.database().embedded()) {
            secureHome(config.core().home());
        }
        Database database = pooled ? Database.open(settings) : Database.openUnpooled(settings);
        if (database.embeddedServer()
                .map(server -> server.startedByThisProcess())
                .orElse(false)) {
            progress.println("gust: started the embedded PostgreSQL (data in " + settings.embeddedDataDir()
                    + "); it stops when this command ends");
            progress.flush();
        }
        return database;
    }

    /**
     * The embedded database, its password, the encryption key and the PostgreSQL log live in
     * core.home: only this account may enter it (earlier versions left it and the log readable).
     */
    private static void secureHome(Path home) {
        try {
            PrivateFiles.home(home);
        } catch (IOException e) {
            throw new UserError("cannot make " + home + " private (mode 700): " + e.getMessage()
                    + "; fix its owner or set core.home (GUST_CORE__HOME) to a folder of yours");
        }
    }

    /** Connects and makes sure the schema is current (see the class comment). */
    public static Database open(GustConfig config, PrintWriter progress) {
        return open(config, progress, true);
    }

    /**
     * Opens as {@link #open} does, without a connection pool: for a command that runs a few
     * statements and exits ({@link Database#openUnpooled}).
     */
    public static Database openUnpooled(GustConfig config, PrintWriter progress) {
        return open(config, progress, false);
    }

    private static Database open(GustConfig config, PrintWriter progress, boolean pooled) {
        Database database = connect(config, progress, pooled);
        try {
            if (config.database().embedded()) {
                MigrationOutcome outcome = database.migrate();
                if (outcome.applied() > 0) {
                    progress.println("gust: applied " + outcome.applied() + " migrations; schema at version "
                            + outcome.schemaVersion());
                    progress.flush();
                }
                return database;
            }
            DatabaseStatus status = database.check();
            if (!status.upToDate()) {
                throw new UserError("the metadata database schema is at version " + status.schemaVersion() + " with "
                        + status.pendingMigrations() + " migrations pending; run 'gust db migrate'");
            }
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }
}
