package dev.gust.core.store.variables;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.util.List;
import java.util.Optional;

/** The {@code variable} table: get, set, list and delete Variables. */
public final class VariableRepository {

    private static final RowMapper<Variable> VARIABLE =
            row -> new Variable(row.getString("key"), row.getString("val"), row.getString("description"));

    private final Jdbc jdbc;

    public VariableRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Variable> find(String key) {
        return jdbc.queryOne("SELECT key, val, description FROM variable WHERE key = :key",
                Params.of("key", key), VARIABLE);
    }

    /** Creates or overwrites a Variable. */
    public void set(String key, String value, String description) {
        jdbc.update("""
                INSERT INTO variable (key, val, description) VALUES (:key, :value, :description)
                ON CONFLICT (key) DO UPDATE
                    SET val = EXCLUDED.val, description = EXCLUDED.description, updated_at = now()
                """, Params.of("key", key).and("value", value).and("description", description));
    }

    public List<Variable> list() {
        return jdbc.query("SELECT key, val, description FROM variable ORDER BY key", Params.none(), VARIABLE);
    }

    /** Deletes a Variable; returns false when there was none. */
    public boolean delete(String key) {
        return jdbc.update("DELETE FROM variable WHERE key = :key", Params.of("key", key)) > 0;
    }
}
