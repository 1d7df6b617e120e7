package dev.gust.bench;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Database;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.users.UserAccounts;
import java.time.Clock;

/**
 * A benchmark's throwaway metadata database with the repositories and services the benchmarks
 * use: the benchmarks' one wiring place. Closing it closes (and, embedded, stops) the database.
 */
public final class ThrowawayDatabase implements AutoCloseable {

    private final GustConfig config;
    private final Database database;

    ThrowawayDatabase(GustConfig config, Database database) {
        this.config = config;
        this.database = database;
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

    public DagRepository dags() {
        return new DagRepository(database.jdbc());
    }

    public DagRunRepository dagRuns() {
        return new DagRunRepository(database.jdbc());
    }

    public UserAccounts userAccounts() {
        return new UserAccounts(database.jdbc(), Clock.systemUTC());
    }

    /** The sync of the configured DAG folder into the database, as the scheduler runs it. */
    public DagFolderSync dagFolderSync() {
        GustConfig.Core core = config.core();
        DagFolderScanner scanner = new DagFolderScanner(core.dagsFolder(),
                new DagFolderScanner.Settings(core.maxDagFileSizeBytes(), Runtime.getRuntime().availableProcessors()),
                new DagFileParser());
        return new DagFolderSync(scanner, dags(), new ImportErrorRepository(database.jdbc()),
                new DagWarningRepository(database.jdbc()), core);
    }

    /** Creates runs as {@code gust dags trigger} does. */
    public DagRunCreator dagRunCreator() {
        return new DagRunCreator(dagRuns(), new DagDefinitions(dags()), config.core().catchupByDefault(),
                Clock.systemUTC());
    }

    @Override
    public void close() {
        database.close();
    }
}
