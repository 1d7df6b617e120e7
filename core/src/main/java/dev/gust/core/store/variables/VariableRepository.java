package dev.gust.core.store.variables;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.secrets.SecretCipher;
import dev.gust.core.store.secrets.SensitiveNames;
import java.util.List;
import java.util.Optional;

/**
 * The {@code variable} table: get, set, list and delete Variables. The value of a sensitive
 * Variable ({@link SensitiveNames}) goes through {@link SecretCipher} on the way in, bound to its
 * key, so the database holds only its ciphertext; reading decrypts it. Whether a row is encrypted
 * is read from the row, not from the rule, so a value stays readable whatever the rule says later.
 */
public final class VariableRepository {

    private static final String COLUMNS = "key, val, val_encrypted, description";

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final RowMapper<Variable> variable;

    public VariableRepository(Jdbc jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.variable = row -> {
            String key = row.getString("key");
            byte[] encrypted = row.getBytes("val_encrypted");
            return new Variable(
                    key,
                    encrypted == null ? row.getString("val") : cipher.decrypt(encrypted, context(key)),
                    row.getString("description"));
        };
    }

    public Optional<Variable> find(String key) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM variable WHERE key = :key", Params.of("key", key), variable);
    }

    /** Creates or overwrites a Variable, encrypting the value when the key is sensitive. */
    public void set(String key, String value, String description) {
        boolean secret = SensitiveNames.isSensitive(key);
        jdbc.update(
                """
                INSERT INTO variable (key, val, val_encrypted, description)
                VALUES (:key, :value, :encrypted, :description)
                ON CONFLICT (key) DO UPDATE
                    SET val = EXCLUDED.val, val_encrypted = EXCLUDED.val_encrypted,
                        description = EXCLUDED.description, updated_at = now()
                """,
                Params.of("key", key)
                        .and("value", secret ? null : value)
                        .and("encrypted", secret ? cipher.encrypt(value, context(key)) : null)
                        .and("description", description));
    }

    public List<Variable> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM variable ORDER BY key", Params.none(), variable);
    }

    /** Deletes a Variable; returns false when there was none. */
    public boolean delete(String key) {
        return jdbc.update("DELETE FROM variable WHERE key = :key", Params.of("key", key)) > 0;
    }

    /**
     * Encrypts the sensitive Variables still stored in plaintext (written before Gust encrypted
     * them); returns how many. Each row changes only if nobody rewrote it meanwhile, so processes
     * may run this at once.
     */
    public int encryptStoredSecrets() {
        List<Variable> plaintext = jdbc
                .query("SELECT " + COLUMNS + " FROM variable WHERE val_encrypted IS NULL", Params.none(), variable)
                .stream()
                .filter(v -> SensitiveNames.isSensitive(v.key()))
                .toList();
        int encrypted = 0;
        for (Variable v : plaintext) {
            encrypted += jdbc.update(
                    """
                    UPDATE variable SET val = NULL, val_encrypted = :encrypted
                     WHERE key = :key AND val = :value AND val_encrypted IS NULL
                    """,
                    Params.of("key", v.key())
                            .and("value", v.value())
                            .and("encrypted", cipher.encrypt(v.value(), context(v.key()))));
        }
        return encrypted;
    }

    private static String context(String key) {
        return "variable:" + key;
    }
}
