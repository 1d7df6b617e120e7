package dev.gust.core.store.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.Params;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.store.secrets.SecretDecryptionException;
import dev.gust.core.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    final SecretCipher cipher = SecretCipher.fromBase64Key(SecretCipher.generateKey());
    ConnectionRepository connections;

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM connection", Params.none());
        connections = new ConnectionRepository(db.jdbc(), cipher);
    }

    @Test
    void addGetListAndDelete() {
        Connection warehouse = new Connection(
                "warehouse",
                "postgres",
                "the DWH",
                "db.internal",
                "analytics",
                "etl",
                "s3cr3t-pa55",
                5432,
                "{\"sslmode\": \"require\"}");
        Connection api = new Connection("api", "http", null, "api.example.com", null, null, null, null, null);

        assertThat(connections.add(warehouse)).isTrue();
        assertThat(connections.add(api)).isTrue();
        assertThat(connections.add(warehouse)).isFalse();

        assertThat(connections.find("warehouse")).contains(warehouse);
        assertThat(connections.list()).containsExactly(api, warehouse);
        assertThat(connections.delete("api")).isTrue();
        assertThat(connections.find("api")).isEmpty();
    }

    @Test
    void theDatabaseHoldsNoPlaintextSecrets() {
        connections.add(new Connection(
                "warehouse",
                "postgres",
                null,
                "db.internal",
                null,
                "etl",
                "s3cr3t-pa55",
                5432,
                "{\"token\": \"tok-abc123\"}"));

        byte[] row = db.jdbc().queryOne("""
                SELECT convert_to(t::text, 'UTF8') FROM connection t WHERE conn_id = 'warehouse'
                """, Params.none(), r -> r.getBytes(1)).orElseThrow();
        byte[] password = db.jdbc()
                .queryOne("SELECT password_encrypted FROM connection", Params.none(), r -> r.getBytes(1))
                .orElseThrow();

        String stored = new String(row, StandardCharsets.UTF_8);
        assertThat(stored)
                .doesNotContain("s3cr3t-pa55")
                .doesNotContain("tok-abc123")
                .contains("db.internal");
        assertThat(new String(password, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t-pa55");
    }

    @Test
    void readingWithAnotherKeyFailsClearly() {
        connections.add(
                new Connection("warehouse", "postgres", null, "db.internal", null, "etl", "s3cr3t-pa55", 5432, null));
        ConnectionRepository withWrongKey =
                new ConnectionRepository(db.jdbc(), SecretCipher.fromBase64Key(SecretCipher.generateKey()));

        assertThatThrownBy(() -> withWrongKey.find("warehouse"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("connection:warehouse:password")
                .hasMessageContaining("encryption key is not the one it was stored with");
    }
}
