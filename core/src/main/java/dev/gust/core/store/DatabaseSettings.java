package dev.gust.core.store;

import dev.gust.core.config.GustConfig;
import java.nio.file.Path;

/**
 * How to reach the metadata database: either a JDBC URL of an existing PostgreSQL server, or
 * (when {@code url} is null or blank) an embedded PostgreSQL whose data lives in
 * {@code embeddedDataDir} and listens on {@code embeddedPort} (0 picks a free port). The
 * configuration class maps Gust's settings onto this record; nothing here reads the
 * environment.
 */
public record DatabaseSettings(
        String url,
        String username,
        String password,
        int poolSize,
        int connectTimeoutSeconds,
        Path embeddedDataDir,
        int embeddedPort) {

    public DatabaseSettings {
        if (poolSize < 1) {
            throw new IllegalArgumentException("database pool size must be at least 1, got " + poolSize);
        }
        if (connectTimeoutSeconds < 1) {
            throw new IllegalArgumentException(
                    "database connect timeout must be at least 1 second, got " + connectTimeoutSeconds);
        }
    }

    /**
     * The settings Gust's configuration asks for; a {@code postgresql://user:pass@host/db} URL is
     * turned into a JDBC URL and credentials.
     */
    public static DatabaseSettings fromConfig(GustConfig.Database config) {
        int timeoutSeconds =
                (int) Math.max(1, Math.ceilDiv(config.connectTimeout().toMillis(), 1000));
        if (config.embedded()) {
            return new DatabaseSettings(
                    null,
                    null,
                    null,
                    config.poolSize(),
                    timeoutSeconds,
                    config.embeddedDataDir(),
                    config.embeddedPort());
        }
        DatabaseUrl url =
                DatabaseUrl.parse(config.url(), blankToNull(config.username()), blankToNull(config.password()));
        return new DatabaseSettings(
                url.jdbcUrl(), url.username(), url.password(), config.poolSize(), timeoutSeconds, null, 0);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Settings for an existing server at {@code url}, with a small pool and a short timeout. */
    public static DatabaseSettings forUrl(String url, String username, String password) {
        return new DatabaseSettings(url, username, password, 5, 5, null, 0);
    }

    /** Keeps the password out of logs and error messages. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + (url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***"))
                + ", username=" + username + ", password=" + (password == null ? null : "***")
                + ", poolSize=" + poolSize + ", connectTimeoutSeconds=" + connectTimeoutSeconds
                + ", embeddedDataDir=" + embeddedDataDir + ", embeddedPort=" + embeddedPort + "]";
    }

    public boolean usesEmbeddedServer() {
        return url == null || url.isBlank();
    }
}
