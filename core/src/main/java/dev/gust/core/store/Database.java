package dev.gust.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.Driver;

/**
 * The metadata database of one Gust process: a HikariCP pool on PostgreSQL (an existing server,
 * or the embedded one when no URL is configured), or for a short command one connection used
 * again and again ({@link #openUnpooled}), its Flyway migrations, and a health check.
 * {@link #open} fails fast with a {@link DatabaseUnreachableException} when the server does not
 * answer; {@link #check()} never throws for that, so health endpoints can report it.
 */
public final class Database implements AutoCloseable {

    private static final String MIGRATIONS = "classpath:" + ShippedMigrations.LOCATION;

    private final DatabaseSettings settings;
    private final String url;
    private final String username;
    private final String password;
    private final EmbeddedPostgresServer embeddedServer;
    private final DataSource dataSource;
    private final ReusedConnectionDataSource reused;

    private Database(
            DatabaseSettings settings,
            String url,
            String username,
            String password,
            EmbeddedPostgresServer embeddedServer,
            boolean pooled) {
        this.settings = settings;
        this.url = url;
        this.username = username;
        this.password = password;
        this.embeddedServer = embeddedServer;
        this.reused = pooled ? null : new ReusedConnectionDataSource(this::connectDirectly);
        this.dataSource = pooled ? new HikariDataSource(poolConfig()) : reused;
    }

    /**
     * Connects to the configured server, or starts (or joins) the embedded one when no URL is
     * set, and checks that it answers.
     *
     * @throws DatabaseUnreachableException when it does not answer within the connect timeout
     */
    public static Database open(DatabaseSettings settings) {
        return open(settings, true);
    }

    /**
     * Opens the database as {@link #open} does, for a command that runs a few statements and
     * exits: no pool, one connection (the one that checks that the server answers) used for
     * every statement, and a second one only while the first is out.
     */
    public static Database openUnpooled(DatabaseSettings settings) {
        return open(settings, false);
    }

    private static Database open(DatabaseSettings settings, boolean pooled) {
        if (settings.usesEmbeddedServer()) {
            if (settings.embeddedDataDir() == null) {
                throw new IllegalArgumentException("no database URL and no embedded data directory: set one of them");
            }
            EmbeddedPostgresServer server =
                    EmbeddedPostgresServer.startOrAttach(settings.embeddedDataDir(), settings.embeddedPort());
            try {
                return probed(new Database(
                        settings, server.jdbcUrl(), EmbeddedPostgresServer.USER, server.password(), server, pooled));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        if (!settings.url().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "the database URL must start with jdbc:postgresql:, got " + settings.url());
        }
        return probed(new Database(settings, settings.url(), settings.username(), settings.password(), null, pooled));
    }

    private static Database probed(Database database) {
        try {
            database.probe();
            return database;
        } catch (DatabaseUnreachableException e) {
            database.closeDataSource();
            throw e;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A {@link Jdbc} on this database's pool, for repositories. */
    public Jdbc jdbc() {
        return new Jdbc(dataSource);
    }

    /** The embedded server this database runs on, when no URL was configured. */
    public Optional<EmbeddedPostgresServer> embeddedServer() {
        return Optional.ofNullable(embeddedServer);
    }

    /** The JDBC URL in use (the embedded server's when there is one). */
    public String url() {
        return url;
    }

    /**
     * Applies the pending migrations. Safe to call from several processes at once: Flyway holds
     * a PostgreSQL advisory lock while it migrates.
     */
    public MigrationOutcome migrate() {
        MigrateResult result = flyway().migrate();
        return new MigrationOutcome(result.migrationsExecuted, currentVersion(flyway().info()));
    }

    /** Whether the database answers, its schema version and how many migrations are pending. */
    public DatabaseStatus check() {
        try {
            Set<String> applied = appliedVersions();
            Set<String> shipped = ShippedMigrations.versions();
            if (applied != null && !shipped.isEmpty() && applied.containsAll(shipped)) {
                // the common answer, without loading Flyway (a few hundred ms of a short command's start-up)
                String newest = applied.stream()
                        .max(Comparator.comparing(MigrationVersion::fromVersion))
                        .orElseThrow();
                return new DatabaseStatus(true, newest, 0, null);
            }
            MigrationInfoService info = flyway().info();
            return new DatabaseStatus(true, currentVersion(info), info.pending().length, null);
        } catch (DatabaseUnreachableException e) {
            return DatabaseStatus.unreachable(e.getMessage());
        } catch (RuntimeException e) {
            return DatabaseStatus.unreachable(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void close() {
        closeDataSource();
        if (embeddedServer != null) {
            embeddedServer.close();
        }
    }

    /**
     * The versions {@code flyway_schema_history} records as applied, read over the
     * {@link #checkConnection} as {@link #probe()} does (so an unreachable server says why); null when the table
     * cannot be read, for Flyway to answer.
     */
    private Set<String> appliedVersions() {
        try (Connection connection = checkConnection()) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
                Set<String> versions = new HashSet<>();
                while (rows.next()) {
                    versions.add(rows.getString(1));
                }
                return versions;
            } catch (SQLException noHistoryYet) {
                return null;
            }
        } catch (SQLException e) {
            throw DatabaseUnreachableException.of(url, e, settings.connectTimeoutSeconds());
        }
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load();
    }

    private static String currentVersion(MigrationInfoService info) {
        if (info.current() == null) {
            return null;
        }
        MigrationVersion version = info.current().getVersion();
        return version == null ? null : version.getVersion();
    }

    /** Connects once ({@link #checkConnection}), so that an unreachable server is said at once and why. */
    private void probe() {
        try (Connection ignored = checkConnection()) {
            // connecting is the whole check
        } catch (SQLException e) {
            throw DatabaseUnreachableException.of(url, e, settings.connectTimeoutSeconds());
        }
    }

    /**
     * A connection for the checks: straight from the driver beside a pool, so that the real cause
     * of a failure (refused, unknown host, timeout, bad password) reaches the message instead of
     * the pool's generic timeout; without a pool, the one connection, which is opened the same way.
     */
    private Connection checkConnection() throws SQLException {
        return reused != null ? reused.getConnection() : connectDirectly();
    }

    private Connection connectDirectly() throws SQLException {
        return new Driver().connect(url, driverProperties());
    }

    private void closeDataSource() {
        if (reused != null) {
            reused.close();
        } else {
            ((HikariDataSource) dataSource).close();
        }
    }

    private Properties driverProperties() {
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", String.valueOf(settings.connectTimeoutSeconds()));
        properties.setProperty("loginTimeout", String.valueOf(settings.connectTimeoutSeconds()));
        properties.setProperty("ApplicationName", "gust");
        return properties;
    }

    private HikariConfig poolConfig() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gust-metadata");
        config.setJdbcUrl(url);
        config.setDataSourceProperties(driverProperties());
        if (username != null) {
            config.setUsername(username);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectTimeoutSeconds() * 1000L);
        // The pool must come up even while the database is down, so a process can report
        // "unreachable" on its health endpoint and recover when the database returns.
        config.setInitializationFailTimeout(-1);
        return config;
    }
}
