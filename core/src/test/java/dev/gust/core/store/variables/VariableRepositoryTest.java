package dev.gust.core.store.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VariableRepositoryTest {

    static final SecretCipher CIPHER = SecretCipher.fromBase64Key(SecretCipher.generateKey());

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void setGetListOverwriteAndDelete() {
        VariableRepository variables = new VariableRepository(db.jdbc(), CIPHER);

        variables.set("env", "prod", "where we run");
        variables.set("bucket", "s3://data", null);
        variables.set("env", "staging", "where we run now");

        assertThat(variables.find("env")).contains(new Variable("env", "staging", "where we run now"));
        assertThat(variables.list()).extracting(Variable::key).containsExactly("bucket", "env");
        assertThat(variables.delete("env")).isTrue();
        assertThat(variables.delete("env")).isFalse();
        assertThat(variables.find("env")).isEmpty();
    }

    @Test
    void sensitiveValuesAreStoredEncryptedAndReadBackInPlaintext() {
        VariableRepository variables = new VariableRepository(db.jdbc(), CIPHER);
        variables.set("stripe_api_key", "sk-live-plaintext-1", "payments");
        variables.set("region", "eu-west-1", null);

        assertThat(storedRow("stripe_api_key")).doesNotContain("sk-live-plaintext-1");
        assertThat(storedRow("region")).contains("eu-west-1");
        assertThat(variables.find("stripe_api_key"))
                .contains(new Variable("stripe_api_key", "sk-live-plaintext-1", "payments"));
        assertThat(variables.list()).extracting(Variable::value).contains("sk-live-plaintext-1", "eu-west-1");
        variables.delete("stripe_api_key");
        variables.delete("region");
    }

    @Test
    void plaintextSecretsWrittenBeforeEncryptionStayReadableAndAreEncryptedOnce() {
        VariableRepository variables = new VariableRepository(db.jdbc(), CIPHER);
        db.jdbc()
                .update(
                        "INSERT INTO variable (key, val) VALUES ('old_password', 'legacy-pw-7'), ('old_plain', 'x')",
                        dev.gust.core.store.Params.none());
        assertThat(variables.find("old_password").orElseThrow().value()).isEqualTo("legacy-pw-7");

        assertThat(variables.encryptStoredSecrets()).isEqualTo(1);
        assertThat(variables.encryptStoredSecrets()).isZero();
        assertThat(storedRow("old_password")).doesNotContain("legacy-pw-7");
        assertThat(variables.find("old_password").orElseThrow().value()).isEqualTo("legacy-pw-7");
        assertThat(storedRow("old_plain")).contains("x");
        variables.delete("old_password");
        variables.delete("old_plain");
    }

    /** The row as the database holds it, every column as text (bytea as its hex and its bytes read as UTF-8). */
    private static String storedRow(String key) {
        return db.jdbc()
                .queryOne("""
                SELECT concat_ws('|', key, val, val_encrypted::text, encode(val_encrypted, 'escape'), description) AS row
                  FROM variable WHERE key = :key""", dev.gust.core.store.Params.of("key", key), row -> row.getString("row"))
                .orElseThrow();
    }
}
