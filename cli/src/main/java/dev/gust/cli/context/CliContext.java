package dev.gust.cli.context;

import dev.gust.cli.common.UserError;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.dag.warnings.PythonInterpreterCheck;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Database;
import dev.gust.core.store.Stores;
import dev.gust.core.store.cleanup.MetadataCleanup;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.users.UserAccounts;
import java.time.Clock;
import java.util.function.Function;

/**
 * The object graph of one CLI command that works on the metadata database: the configuration,
 * the open database, its repositories (core's {@link Stores}) and the services built from them. It is
 * built in one place ({@link MetadataAccess}) and handed to the command; closing it closes the
 * database.
 */
public final class CliContext implements AutoCloseable {

    private final GustConfig config;
    private final Database database;
    private final Stores stores;

    CliContext(GustConfig config, Database database, SecretCipher cipher) {
        this.config = config;
        this.database = database;
        this.stores = Stores.open(database.jdbc(), cipher, config.logging().maxTaskLogSizeBytes());
    }

    /** A context over an open database; secrets are deciphered with the configured key when first asked for. */
    public static CliContext over(GustConfig config, Database database) {
        return new CliContext(config, database, SecretCipher.deferred(() -> CommandCipher.of(config)));
    }

    public GustConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    /** The repositories over the connection pool. */
    public Stores stores() {
        return stores;
    }

    /** Runs {@code work} in one transaction, with the repositories over it. */
    public <T> T inTransaction(Function<Stores, T> work) {
        return stores.inTransaction(work);
    }

    /** Creates, changes and deletes users as the CLI (the actor named in the audit log is the OS user). */
    public UserAccounts userAccounts() {
        return new UserAccounts(stores, Clock.systemUTC());
    }

    /** The DAG definitions as the metadata database stores them. */
    public DagDefinitions dagDefinitions() {
        return new DagDefinitions(stores().dags());
    }

    /** Creates manual and backfill runs, as the webserver and the schedules do. */
    public DagRunCreator dagRunCreator() {
        return new DagRunCreator(
                stores().dagRuns(), dagDefinitions(), config.core().catchupByDefault(), Clock.systemUTC());
    }

    /** The sync of the configured DAG folder into the database; used by reserialize and the servers. */
    public DagFolderSync dagFolderSync() {
        return new DagFolderSync(
                LocalDagFolder.scanner(config),
                stores.dags(),
                stores.importErrors(),
                stores.dagWarnings(),
                config.core(),
                PythonInterpreterCheck.of(config));
    }

    /** Deletes and archives the database's old rows ({@code gust db clean}). */
    public MetadataCleanup metadataCleanup() {
        return new MetadataCleanup(database.jdbc());
    }

    /** The DAG, or a user error that says how to list them. */
    public StoredDag requireDag(String dagId) {
        return stores().dags()
                .find(dagId)
                .orElseThrow(() -> new UserError(
                        "no DAG '" + dagId + "' in the metadata database; 'gust dags list' shows the DAGs"));
    }

    /** The run, or a user error that says how to list them. */
    public DagRun requireRun(String dagId, String runId) {
        return stores().dagRuns()
                .find(dagId, runId)
                .orElseThrow(() -> new UserError("no run '" + runId + "' of DAG '" + dagId + "'; 'gust dags list-runs "
                        + dagId + "' lists them"));
    }

    @Override
    public void close() {
        database.close();
    }
}
