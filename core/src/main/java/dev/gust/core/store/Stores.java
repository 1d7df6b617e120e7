package dev.gust.core.store;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.callbacks.CallbackRequestRepository;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.jobs.JobRepository;
import dev.gust.core.store.pools.PoolRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.store.sla.SlaMissRepository;
import dev.gust.core.store.users.ApiTokenRepository;
import dev.gust.core.store.users.LoginFailureRepository;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.store.users.WebSessionRepository;
import dev.gust.core.store.variables.VariableRepository;
import java.util.function.Function;

/**
 * Every repository of the metadata database over one {@link Jdbc}, built once per process by
 * {@link #open(Jdbc, GustConfig)} (the process's composition root passes it down) instead of
 * each class building the repositories it needs. {@link #inTransaction} hands out the same set
 * bound to one transaction. The secret cipher (Variables, Connections) and the task log cap
 * ({@code logging.max_task_log_size}) come from the configuration here, in one place. A process
 * whose work mostly touches no secrets (the CLI) opens them with a
 * {@link SecretCipher#deferred deferred} cipher, so that only the commands that read or write a
 * secret need the key: {@code Stores.open(jdbc, SecretCipher.deferred(() -> ...), cap)}.
 */
public record Stores(
        Jdbc jdbc,
        SecretCipher cipher,
        DagRepository dags,
        DagWarningRepository dagWarnings,
        ImportErrorRepository importErrors,
        DagRunRepository dagRuns,
        TaskInstanceRepository taskInstances,
        TaskLogRepository taskLogs,
        XComRepository xcoms,
        PoolRepository pools,
        VariableRepository variables,
        ConnectionRepository connections,
        EventLogRepository events,
        JobRepository jobs,
        UserRepository users,
        ApiTokenRepository apiTokens,
        WebSessionRepository webSessions,
        LoginFailureRepository loginFailures,
        DatasetRepository datasets,
        CallbackRequestRepository callbackRequests,
        SlaMissRepository slaMisses) {

    /**
     * The repositories of a process that runs on {@code config}: the cipher from
     * {@code security.encryption_key} (generated beside an embedded database, see
     * {@link EncryptionKeySource}), which fails here, at startup, when the key is missing or
     * invalid; the task log cap from {@code logging.max_task_log_size}.
     */
    public static Stores open(Jdbc jdbc, GustConfig config) {
        return open(jdbc, EncryptionKeySource.cipher(config), config.logging().maxTaskLogSizeBytes());
    }

    /** The repositories over {@code jdbc} with this cipher and task log cap (0 for none). */
    public static Stores open(Jdbc jdbc, SecretCipher cipher, long maxTaskLogBytes) {
        return new Stores(
                jdbc,
                cipher,
                new DagRepository(jdbc),
                new DagWarningRepository(jdbc),
                new ImportErrorRepository(jdbc),
                new DagRunRepository(jdbc),
                new TaskInstanceRepository(jdbc),
                new TaskLogRepository(jdbc, maxTaskLogBytes),
                new XComRepository(jdbc),
                new PoolRepository(jdbc),
                new VariableRepository(jdbc, cipher),
                new ConnectionRepository(jdbc, cipher),
                new EventLogRepository(jdbc),
                new JobRepository(jdbc),
                new UserRepository(jdbc),
                new ApiTokenRepository(jdbc),
                new WebSessionRepository(jdbc),
                new LoginFailureRepository(jdbc),
                new DatasetRepository(jdbc),
                new CallbackRequestRepository(jdbc),
                new SlaMissRepository(jdbc));
    }

    /**
     * The repositories for work that touches no Variable or Connection secret (user accounts):
     * reading or writing a secret through them fails, saying so. No task log cap.
     */
    public static Stores withoutSecrets(Jdbc jdbc) {
        return open(
                jdbc,
                SecretCipher.deferred(() -> {
                    throw new IllegalStateException("these repositories were opened without the secret key;"
                            + " open them with Stores.open(jdbc, config)");
                }),
                0);
    }

    /**
     * Runs {@code work} in one transaction (committed if it returns, rolled back if it throws)
     * with the repositories bound to it; a nested call joins the outer transaction.
     */
    public <T> T inTransaction(Function<Stores, T> work) {
        return jdbc.inTransaction(tx -> work.apply(tx == jdbc ? this : open(tx, cipher, taskLogs.maxTryBytes())));
    }
}
