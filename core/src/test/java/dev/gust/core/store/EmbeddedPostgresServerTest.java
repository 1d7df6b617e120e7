package dev.gust.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path home;

    @Test
    void dataSurvivesAStopAndARestartOnTheSameDirectory() {
        DatabaseSettings settings = embeddedIn(home.resolve("postgres"));

        try (Database first = Database.open(settings)) {
            first.migrate();
            first.jdbc().update("INSERT INTO variable (key, val) VALUES ('greeting', 'hello')", Params.none());
        }
        assertThat(home.resolve("postgres").resolve("postmaster.pid")).doesNotExist();

        try (Database second = Database.open(settings)) {
            assertThat(second.check().upToDate()).isTrue();
            assertThat(second.jdbc()
                            .queryOne(
                                    "SELECT val FROM variable WHERE key = 'greeting'",
                                    Params.none(),
                                    row -> row.getString(1)))
                    .contains("hello");
        }
    }

    @Test
    void aSecondProcessAttachesToTheRunningServerInsteadOfStartingAnother() throws Exception {
        Path dataDir = home.resolve("shared");
        try (EmbeddedPostgresServer owner = EmbeddedPostgresServer.startOrAttach(dataDir, 0)) {
            assertThat(owner.startedByThisProcess()).isTrue();
            assertThat(Files.readAllLines(dataDir.resolve("postmaster.pid"))
                            .get(3)
                            .trim())
                    .isEqualTo(String.valueOf(owner.port()));

            try (EmbeddedPostgresServer client = EmbeddedPostgresServer.startOrAttach(dataDir, 0);
                    Database database = Database.open(embeddedIn(dataDir))) {
                assertThat(client.startedByThisProcess()).isFalse();
                assertThat(client.port()).isEqualTo(owner.port());
                assertThat(database.url()).isEqualTo(owner.jdbcUrl());
                assertThat(database.check().reachable()).isTrue();
            }
            // the client closing must not stop the owner's server
            assertThat(EmbeddedPostgresServer.runningServerPort(dataDir)).contains(owner.port());
        }
        assertThat(EmbeddedPostgresServer.runningServerPort(dataDir)).isEmpty();
    }

    @Test
    void checkReportsADatabaseThatWentAwayInsteadOfThrowing() {
        Path dataDir = home.resolve("vanishing");
        EmbeddedPostgresServer owner = EmbeddedPostgresServer.startOrAttach(dataDir, 0);
        try (Database database = Database.open(embeddedIn(dataDir))) {
            assertThat(database.embeddedServer())
                    .hasValueSatisfying(
                            s -> assertThat(s.startedByThisProcess()).isFalse());
            assertThat(database.check().reachable()).isTrue();

            owner.close();

            DatabaseStatus status = database.check();
            assertThat(status.reachable()).isFalse();
            assertThat(status.problem())
                    .isEqualTo(
                            "cannot reach the metadata database at 127.0.0.1:" + owner.port()
                                    + " (connection refused); check GUST_DATABASE__URL (database.url) and that PostgreSQL is running");
        } finally {
            owner.close();
        }
    }

    private static DatabaseSettings embeddedIn(Path dataDir) {
        return new DatabaseSettings(null, null, null, 2, 5, dataDir, 0);
    }
}
