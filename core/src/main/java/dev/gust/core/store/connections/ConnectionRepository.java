package dev.gust.core.store.connections;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.secrets.SecretCipher;
import java.util.List;
import java.util.Optional;

/**
 * The {@code connection} table. Passwords and extras go through {@link SecretCipher} on the
 * way in and out, so the database only ever holds their ciphertext, each bound to its
 * connection id and field.
 */
public final class ConnectionRepository {

    private static final String COLUMNS =
            "conn_id, conn_type, description, host, schema, login, password_encrypted, port, extra_encrypted";

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final RowMapper<Connection> connection;

    public ConnectionRepository(Jdbc jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.connection = row -> {
            String connId = row.getString("conn_id");
            return new Connection(
                    connId,
                    row.getString("conn_type"),
                    row.getString("description"),
                    row.getString("host"),
                    row.getString("schema"),
                    row.getString("login"),
                    cipher.decrypt(row.getBytes("password_encrypted"), passwordContext(connId)),
                    Jdbc.nullableInt(row, "port"),
                    cipher.decrypt(row.getBytes("extra_encrypted"), extraContext(connId)));
        };
    }

    /** Adds a connection; returns false (and changes nothing) when its id is taken. */
    public boolean add(Connection c) {
        return jdbc.update("""
                INSERT INTO connection (conn_id, conn_type, description, host, schema, login,
                                        password_encrypted, port, extra_encrypted)
                VALUES (:connId, :connType, :description, :host, :schema, :login,
                        :password, :port, :extra)
                ON CONFLICT (conn_id) DO NOTHING
                """, rowParams(c)) > 0;
    }

    public Optional<Connection> find(String connId) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM connection WHERE conn_id = :connId",
                Params.of("connId", connId),
                connection);
    }

    public List<Connection> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM connection ORDER BY conn_id", Params.none(), connection);
    }

    /** Deletes a connection; returns false when there was none. */
    public boolean delete(String connId) {
        return jdbc.update("DELETE FROM connection WHERE conn_id = :connId", Params.of("connId", connId)) > 0;
    }

    /** Replaces every field of an existing connection (secrets re-encrypted); returns false when there is none. */
    public boolean update(Connection c) {
        return jdbc.update("""
                UPDATE connection
                   SET conn_type = :connType, description = :description, host = :host, schema = :schema,
                       login = :login, password_encrypted = :password, port = :port, extra_encrypted = :extra,
                       updated_at = now()
                 WHERE conn_id = :connId
                """, rowParams(c)) > 0;
    }

    /** Every column of a connection's row as a named parameter, with its secrets encrypted. */
    private Params rowParams(Connection c) {
        return Params.of("connId", c.connId())
                .and("connType", c.connType())
                .and("description", c.description())
                .and("host", c.host())
                .and("schema", c.schema())
                .and("login", c.login())
                .and("password", cipher.encrypt(c.password(), passwordContext(c.connId())))
                .and("port", c.port())
                .and("extra", cipher.encrypt(c.extra(), extraContext(c.connId())));
    }

    private static String passwordContext(String connId) {
        return "connection:" + connId + ":password";
    }

    private static String extraContext(String connId) {
        return "connection:" + connId + ":extra";
    }
}
