package dev.gust.cli.context;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.store.pools.PoolRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.core.users.UserAccounts;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The repositories the commands use, all over one {@link Jdbc}: the connection pool, or one
 * transaction (see {@link CliContext#inTransaction}). This is the one place in the CLI that
 * constructs repositories; when core has its own record of every repository, this becomes it.
 *
 * @param cipher the secrets' cipher, asked for only by the repositories that encrypt
 */
public record CliStores(Jdbc jdbc, Supplier<SecretCipher> cipher) {

    public DagRepository dags() {
        return new DagRepository(jdbc);
    }

    public DagRunRepository dagRuns() {
        return new DagRunRepository(jdbc);
    }

    public TaskInstanceRepository taskInstances() {
        return new TaskInstanceRepository(jdbc);
    }

    public TaskLogRepository taskLogs() {
        return new TaskLogRepository(jdbc);
    }

    public XComRepository xcoms() {
        return new XComRepository(jdbc);
    }

    public ImportErrorRepository importErrors() {
        return new ImportErrorRepository(jdbc);
    }

    public DagWarningRepository dagWarnings() {
        return new DagWarningRepository(jdbc);
    }

    public EventLogRepository eventLog() {
        return new EventLogRepository(jdbc);
    }

    public PoolRepository pools() {
        return new PoolRepository(jdbc);
    }

    public JobRepository jobs() {
        return new JobRepository(jdbc);
    }

    public UserRepository users() {
        return new UserRepository(jdbc);
    }

    public UserAccounts userAccounts() {
        return new UserAccounts(jdbc, Clock.systemUTC());
    }

    public VariableRepository variables() {
        return new VariableRepository(jdbc, cipher.get());
    }

    public ConnectionRepository connections() {
        return new ConnectionRepository(jdbc, cipher.get());
    }
}
