package dev.gust.cli.context;

import dev.gust.cli.common.UserError;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Database;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.secrets.SecretCipher;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The object graph of one CLI command that works on the metadata database: the configuration,
 * the open database, its repositories ({@link CliStores}) and the services built from them. It is
 * built in one place ({@link MetadataAccess}) and handed to the command; closing it closes the
 * database.
 */
public final class CliContext implements AutoCloseable {

    private final GustConfig config;
    private final Database database;
    private final Supplier<SecretCipher> cipher;

    CliContext(GustConfig config, Database database, Supplier<SecretCipher> cipher) {
        this.config = config;
        this.database = database;
        this.cipher = cipher;
    }

    /** A context over an open database; secrets are deciphered with the configured key when first asked for. */
    public static CliContext over(GustConfig config, Database database) {
        return new CliContext(config, database, memoized(() -> CommandCipher.of(config)));
    }

    public GustConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    /** The repositories over the connection pool. */
    public CliStores stores() {
        return new CliStores(database.jdbc(), cipher);
    }

    /** Runs {@code work} in one transaction, with the repositories over it. */
    public <T> T inTransaction(Function<CliStores, T> work) {
        return database.jdbc().inTransaction(tx -> work.apply(new CliStores(tx, cipher)));
    }

    /** The DAG definitions as the metadata database stores them. */
    public DagDefinitions dagDefinitions() {
        return new DagDefinitions(stores().dags());
    }

    /** Creates manual and backfill runs, as the webserver and the schedules do. */
    public DagRunCreator dagRunCreator() {
        return new DagRunCreator(stores().dagRuns(), dagDefinitions(), config.core().catchupByDefault(), Clock.systemUTC());
    }

    /** The sync of the configured DAG folder into the database; used by reserialize and the servers. */
    public DagFolderSync dagFolderSync() {
        GustConfig.Core core = config.core();
        DagFolderScanner scanner = new DagFolderScanner(core.dagsFolder(),
                new DagFolderScanner.Settings(core.maxDagFileSizeBytes(), Runtime.getRuntime().availableProcessors()),
                new DagFileParser());
        CliStores stores = stores();
        return new DagFolderSync(scanner, stores.dags(), stores.importErrors(), stores.dagWarnings(), core);
    }

    /** The DAG, or a user error that says how to list them. */
    public StoredDag requireDag(String dagId) {
        return stores().dags().find(dagId).orElseThrow(() -> new UserError("no DAG '" + dagId
                + "' in the metadata database; 'gust dags list' shows the DAGs"));
    }

    /** The run, or a user error that says how to list them. */
    public DagRun requireRun(String dagId, String runId) {
        return stores().dagRuns().find(dagId, runId).orElseThrow(() -> new UserError("no run '" + runId + "' of DAG '"
                + dagId + "'; 'gust dags list-runs " + dagId + "' lists them"));
    }

    @Override
    public void close() {
        database.close();
    }

    static Supplier<SecretCipher> memoized(Supplier<SecretCipher> supplier) {
        return new Supplier<>() {
            private SecretCipher value;

            @Override
            public synchronized SecretCipher get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
