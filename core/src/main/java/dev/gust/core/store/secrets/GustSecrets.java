package dev.gust.core.store.secrets;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.EmbeddedPostgresServer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Gust's own secrets, which no task may show: the secret settings and URL passwords of the
 * configuration, and the encryption key even when it was generated into a file rather than
 * configured, and the embedded PostgreSQL's superuser password. Every task's masker starts with them, so that a command printing one (reading the
 * key file, echoing a URL) leaves {@code ***} in its log and XCom.
 */
public final class GustSecrets {

    private GustSecrets() {}

    public static List<String> of(GustConfig config) {
        Set<String> secrets = new LinkedHashSet<>(config.secretValues());
        EncryptionKeySource.currentKey(config).ifPresent(secrets::add);
        if (config.database().embedded()) {
            EmbeddedPostgresServer.storedPassword(config.database().embeddedDataDir())
                    .ifPresent(secrets::add);
        }
        return List.copyOf(secrets);
    }
}
