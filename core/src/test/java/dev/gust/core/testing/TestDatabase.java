package dev.gust.core.testing;

import dev.gust.core.store.Database;
import dev.gust.core.store.DatabaseSettings;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Stores;
import dev.gust.core.store.secrets.SecretCipher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A fresh, fully migrated metadata database for one test class, on a real PostgreSQL: the
 * server named by {@code GUST_TEST_DATABASE_URL} (a JDBC URL; put {@code user} and
 * {@code password} in its query string) when that is set; otherwise a Testcontainers PostgreSQL
 * when a Docker engine answers; otherwise (the documented fallback, and the case on machines
 * without Docker) one embedded PostgreSQL per JVM. It prints which one it used. The schema is migrated once per JVM into a template database, and each
 * {@link #create()} copies it with {@code CREATE DATABASE ... TEMPLATE}, which takes a few tens
 * of milliseconds instead of a Flyway run. Registered as an extension, JUnit drops the database
 * after the class's tests:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase db = TestDatabase.create();
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable, AfterAllCallback {

    private static final Pattern JDBC_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$");

    private final String name;
    private final String url;
    private final Database database;

    private TestDatabase(String name, String url, Database database) {
        this.name = name;
        this.url = url;
        this.database = database;
    }

    /** A new database with every migration applied, for one test class. */
    public static TestDatabase create() {
        Server server = Server.instance();
        String name =
                "gust_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        server.createFromTemplate(name);
        String url = server.urlFor(name);
        return new TestDatabase(name, url, Database.open(DatabaseSettings.forUrl(url, null, null)));
    }

    public String name() {
        return name;
    }

    /** A JDBC URL of this database, credentials included. */
    public String url() {
        return url;
    }

    /** Settings that point {@link Database#open} at this database. */
    public DatabaseSettings settings() {
        return DatabaseSettings.forUrl(url, null, null);
    }

    public Database database() {
        return database;
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    public Jdbc jdbc() {
        return database.jdbc();
    }

    /**
     * The repositories over this database, built as a process builds them ({@link Stores#open}),
     * with a fresh random secret key and no task log cap; a test that shares secrets with a
     * process under test opens its stores with that process's configuration instead.
     */
    public Stores stores() {
        return Stores.open(jdbc(), SecretCipher.fromBase64Key(SecretCipher.generateKey()), 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        database.close();
        Server.instance().drop(name);
    }

    /** The PostgreSQL server the tests of this JVM share, and its migrated template. */
    private static final class Server {

        private static Server instance;

        private final String baseUrl;
        private final String query;
        private final String adminUrl;
        private final String template;

        private Server(String anyDatabaseUrl, String description, boolean shared) {
            Matcher matcher = JDBC_URL.matcher(anyDatabaseUrl);
            if (!matcher.matches()) {
                throw new IllegalStateException("GUST_TEST_DATABASE_URL must look like "
                        + "jdbc:postgresql://host:5432/postgres?user=...&password=..., got " + anyDatabaseUrl);
            }
            this.baseUrl = matcher.group(1);
            this.query = matcher.group(3) == null ? "" : matcher.group(3);
            this.adminUrl = anyDatabaseUrl;
            this.template = "gust_template_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            System.out.println("test database: " + description);
            createTemplate();
            if (shared) {
                // An embedded server goes away with the JVM; a shared one must not collect templates.
                Runtime.getRuntime().addShutdownHook(new Thread(this::dropTemplateQuietly, "drop-gust-test-template"));
            }
        }

        static synchronized Server instance() {
            if (instance == null) {
                String url = System.getenv("GUST_TEST_DATABASE_URL");
                if (url != null && !url.isBlank()) {
                    instance = new Server(url, "GUST_TEST_DATABASE_URL", true);
                } else if (DockerClientFactory.instance().isDockerAvailable()) {
                    instance = new Server(startContainer(), "PostgreSQL 16 in a Testcontainers container", false);
                } else {
                    instance = new Server(
                            startEmbedded(),
                            "embedded PostgreSQL 14 (zonky); no Docker engine for Testcontainers",
                            false);
                }
            }
            return instance;
        }

        private static String startContainer() {
            // Testcontainers' Ryuk removes the container when the JVM exits.
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password=" + container.getPassword();
        }

        private static String startEmbedded() {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                // zonky's shutdown hook stops the server and deletes its temporary data directory.
                return postgres.getJdbcUrl("postgres", "postgres");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests: " + e.getMessage(), e);
            }
        }

        String urlFor(String database) {
            return baseUrl + "/" + database + query;
        }

        private void createTemplate() {
            execute("CREATE DATABASE " + template);
            Flyway.configure()
                    .dataSource(urlFor(template), null, null)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            // CREATE DATABASE ... TEMPLATE refuses a template that has open sessions.
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity" + " WHERE datname = '" + template
                    + "' AND pid <> pg_backend_pid()");
        }

        synchronized void createFromTemplate(String database) {
            execute("CREATE DATABASE " + database + " TEMPLATE " + template);
        }

        private void dropTemplateQuietly() {
            try {
                drop(template);
            } catch (RuntimeException e) {
                System.err.println("could not drop the test template database " + template + ": " + e.getMessage());
            }
        }

        void drop(String database) {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }

        private void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(adminUrl);
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("test database setup failed [" + sql + "]: " + e.getMessage(), e);
            }
        }
    }
}
