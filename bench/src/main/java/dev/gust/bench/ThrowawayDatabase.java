package dev.gust.bench;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Database;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Stores;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.users.UserAccounts;
import java.time.Clock;

/**
 * A benchmark's throwaway metadata database with the repositories and services the benchmarks
 * use: the benchmarks' one wiring place. Closing it closes (and, embedded, stops) the database.
 */
public final class ThrowawayDatabase implements AutoCloseable {

    private final GustConfig config;
    private final Database database;
    private final Stores stores;

    ThrowawayDatabase(GustConfig config, Database database) {
        this.config = config;
        this.database = database;
        // the key only when a benchmark touches a secret: most never do
        this.stores = Stores.open(
                database.jdbc(),
                SecretCipher.deferred(() -> EncryptionKeySource.cipher(config)),
                config.logging().maxTaskLogSizeBytes());
    }

    public GustConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public Jdbc jdbc() {
        return database.jdbc();
    }

    public Stores stores() {
        return stores;
    }

    public DagRepository dags() {
        return stores.dags();
    }

    public DagRunRepository dagRuns() {
        return stores.dagRuns();
    }

    public UserAccounts userAccounts() {
        return new UserAccounts(stores, Clock.systemUTC());
    }

    /** The sync of the configured DAG folder into the database, as the scheduler runs it. */
    public DagFolderSync dagFolderSync() {
        GustConfig.Core core = config.core();
        DagFolderScanner scanner = new DagFolderScanner(
                core.dagsFolder(),
                new DagFolderScanner.Settings(
                        core.maxDagFileSizeBytes(), Runtime.getRuntime().availableProcessors()),
                new DagFileParser());
        return new DagFolderSync(scanner, stores.dags(), stores.importErrors(), stores.dagWarnings(), core);
    }

    /** Creates runs as {@code gust dags trigger} does. */
    public DagRunCreator dagRunCreator() {
        return new DagRunCreator(
                dagRuns(), new DagDefinitions(dags()), config.core().catchupByDefault(), Clock.systemUTC());
    }

    @Override
    public void close() {
        database.close();
    }
}
