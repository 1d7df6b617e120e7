package dev.gust.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DatabaseTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void migrationsApplyToAnEmptyDatabaseAndCheckReportsUpToDate() {
        String url = db.url();
        db.jdbc().update("CREATE DATABASE " + db.name() + "_empty", Params.none());
        String emptyUrl = url.replace("/" + db.name(), "/" + db.name() + "_empty");
        try (Database empty = Database.open(DatabaseSettings.forUrl(emptyUrl, null, null))) {
            DatabaseStatus before = empty.check();
            assertThat(before.reachable()).isTrue();
            assertThat(before.schemaVersion()).isNull();
            int migrations = MigrationFiles.count();
            // the highest version, not the count: versions are handed out ahead and may land out of order
            String latest = String.valueOf(MigrationFiles.latest());
            assertThat(migrations).isGreaterThanOrEqualTo(3);
            assertThat(before.pendingMigrations()).isEqualTo(migrations);

            MigrationOutcome outcome = empty.migrate();

            assertThat(outcome.applied()).isEqualTo(migrations);
            assertThat(outcome.schemaVersion()).isEqualTo(latest);
            DatabaseStatus after = empty.check();
            assertThat(after.upToDate()).isTrue();
            assertThat(after.schemaVersion()).isEqualTo(latest);
            assertThat(empty.migrate().applied()).isZero();

            // check() answers "current" from the history table without Flyway; a history that lacks
            // one shipped version is Flyway's to count
            assertThat(ShippedMigrations.versions()).hasSize(migrations).contains(latest);
            Jdbc emptyJdbc = empty.jdbc();
            emptyJdbc.update(
                    "CREATE TABLE saved_history AS SELECT * FROM flyway_schema_history WHERE version = :v",
                    Params.of("v", latest));
            emptyJdbc.update("DELETE FROM flyway_schema_history WHERE version = :v", Params.of("v", latest));
            DatabaseStatus missing = empty.check();
            assertThat(missing.upToDate()).isFalse();
            assertThat(missing.pendingMigrations()).isEqualTo(1);
            emptyJdbc.update("INSERT INTO flyway_schema_history SELECT * FROM saved_history", Params.none());
            assertThat(empty.check().upToDate()).isTrue();
        } finally {
            db.jdbc().update("DROP DATABASE " + db.name() + "_empty WITH (FORCE)", Params.none());
        }
    }

    @Test
    void migrationCreatesTheDefaultPoolAndQuartzTables() {
        assertThat(db.jdbc()
                        .queryOne(
                                "SELECT slots FROM slot_pool WHERE pool = 'default_pool'",
                                Params.none(),
                                row -> row.getInt(1)))
                .contains(128);
        assertThat(db.jdbc()
                        .query(
                                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'qrtz\\_%'",
                                Params.none(), row -> row.getString(1)))
                .hasSize(11)
                .contains("qrtz_triggers", "qrtz_locks");
    }

    @Test
    void anUnreachableDatabaseFailsWithOneClearLine() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/gust", "gust", "secret", 2, 2, null, 0);

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(DatabaseUnreachableException.class)
                .hasMessage(
                        "cannot reach the metadata database at 127.0.0.1:" + closedPort
                                + " (connection refused); check GUST_DATABASE__URL (database.url) and that PostgreSQL is running");
    }

    @Test
    void aMissingDatabaseIsNamedAsSuch() {
        String missing = db.url().replace("/" + db.name(), "/no_such_database");
        assertThatThrownBy(() -> Database.open(DatabaseSettings.forUrl(missing, null, null)))
                .isInstanceOf(DatabaseUnreachableException.class)
                .hasMessageContaining("(the database does not exist)")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anUnpooledDatabaseRunsEveryStatementOverTheConnectionThatCheckedTheServer() {
        try (Database unpooled = Database.openUnpooled(DatabaseSettings.forUrl(db.url(), null, null))) {
            assertThat(unpooled.check().upToDate()).isTrue();
            Jdbc jdbc = unpooled.jdbc();
            int backend = backendPid(jdbc);

            assertThat(backendPid(jdbc)).isEqualTo(backend);
            // a nested borrower gets a connection of its own; one of the two is kept afterwards
            int nested = jdbc.inTransaction(outer -> {
                int inner = backendPid(jdbc);
                assertThat(backendPid(outer)).isEqualTo(backend);
                return inner;
            });
            assertThat(nested).isNotEqualTo(backend);
            int kept = backendPid(jdbc);
            assertThat(kept).isIn(backend, nested);
            assertThat(backendPid(jdbc)).isEqualTo(kept);
        }
    }

    @Test
    void anUnpooledDatabaseRollsBackWhatAFailedTransactionWroteAndClosesItsConnection() throws Exception {
        Database unpooled = Database.openUnpooled(DatabaseSettings.forUrl(db.url(), null, null));
        Jdbc jdbc = unpooled.jdbc();
        jdbc.update("CREATE TABLE IF NOT EXISTS unpooled_probe (n int)", Params.none());
        assertThatThrownBy(() -> jdbc.inTransaction(tx -> {
                    tx.update("INSERT INTO unpooled_probe VALUES (1)", Params.none());
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");
        assertThat(jdbc.query("SELECT n FROM unpooled_probe", Params.none(), row -> row.getInt(1)))
                .isEmpty();
        int backend = backendPid(jdbc);

        unpooled.close();

        assertThat(waitForExit(backend))
                .as("the closed database's connection is gone")
                .isTrue();
        assertThatThrownBy(() -> unpooled.dataSource().getConnection()).hasMessageContaining("closed");
    }

    private static int backendPid(Jdbc jdbc) {
        return jdbc.queryOne("SELECT pg_backend_pid()", Params.none(), row -> row.getInt(1))
                .orElseThrow();
    }

    /** A closed connection's backend leaves pg_stat_activity a moment after the client hangs up. */
    private static boolean waitForExit(int pid) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            boolean alive = !db.jdbc()
                    .query(
                            "SELECT pid FROM pg_stat_activity WHERE pid = :pid",
                            Params.of("pid", pid),
                            row -> row.getInt(1))
                    .isEmpty();
            if (!alive) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void settingsNeverPrintThePassword() {
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:postgresql://db:5432/gust?user=gust&password=hunter2", "gust", "hunter2", 5, 5, null, 0);
        assertThat(settings.toString()).doesNotContain("hunter2").contains("password=***");
    }

    /** The migrations shipped on the class path (V1__..., V2__..., numbered without gaps). */
    @Test
    void shippedMigrationsAreListedFromAJarAsFromAFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path jar = dir.resolve("migrations.jar");
        try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar))) {
            for (String name : java.util.List.of(
                    "db/migration/",
                    "db/migration/V1__first.sql",
                    "db/migration/V2_1__point.sql",
                    "db/migration/R__repeatable.sql",
                    "db/migration/notes.txt",
                    "db/other/V9__elsewhere.sql")) {
                out.putNextEntry(new java.util.jar.JarEntry(name));
                out.closeEntry();
            }
        }
        try (var loader =
                new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            assertThat(ShippedMigrations.versions(loader)).containsExactly("1", "2.1");
        }
    }

    private static final class MigrationFiles {
        static int latest() {
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
                    DatabaseTest.class.getResource("/db/migration").toURI()))) {
                return files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                        .max()
                        .orElse(0);
            } catch (java.io.IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        static int count() {
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
                    DatabaseTest.class.getResource("/db/migration").toURI()))) {
                return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                        .count();
            } catch (java.io.IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
