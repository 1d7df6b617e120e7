package dev.gust.core.store.users;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.store.query.OrderBy;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.query.PagedQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code app_user} table. Passwords arrive here already hashed (see {@code dev.gust.core.users.Passwords}). */
public final class UserRepository {

    private static final String COLUMNS =
            "id, username, email, password_hash, role, active, created_at, last_login, first_name, last_name,"
                    + " changed_on, login_count, failed_login_count,"
                    + " ARRAY(SELECT role_name FROM app_user_custom_role c WHERE c.user_id = app_user.id"
                    + " ORDER BY role_name) AS custom_roles";

    private static final RowMapper<AppUser> USER = row -> new AppUser(
            row.getLong("id"),
            row.getString("username"),
            row.getString("email"),
            row.getString("password_hash"),
            row.getString("role"),
            row.getBoolean("active"),
            Jdbc.instant(row, "created_at"),
            Jdbc.instant(row, "last_login"),
            row.getString("first_name"),
            row.getString("last_name"),
            Jdbc.instant(row, "changed_on"),
            row.getInt("login_count"),
            row.getInt("failed_login_count"),
            Jdbc.textList(row, "custom_roles"));

    private static final OrderBy BY_USERNAME =
            OrderBy.parse(null, Map.of("username", "username"), "username", "username");

    private final Jdbc jdbc;

    public UserRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds a user; empty when the username is taken. */
    public Optional<Long> create(String username, String email, String passwordHash, String role) {
        return create(username, email, passwordHash, role, "", "");
    }

    /** Adds a user with their first and last names (never null: Airflow's API shows them as strings); empty when the username is taken. */
    public Optional<Long> create(
            String username, String email, String passwordHash, String role, String firstName, String lastName) {
        return jdbc.queryOne(
                """
                INSERT INTO app_user (username, email, password_hash, role, first_name, last_name)
                VALUES (:username, :email, :passwordHash, :role, :firstName, :lastName)
                ON CONFLICT (username) DO NOTHING
                RETURNING id
                """,
                Params.of("username", username)
                        .and("email", email)
                        .and("passwordHash", passwordHash)
                        .and("role", role)
                        .and("firstName", firstName == null ? "" : firstName)
                        .and("lastName", lastName == null ? "" : lastName),
                row -> row.getLong(1));
    }

    public Optional<AppUser> find(String username) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM app_user WHERE username = :username",
                Params.of("username", username),
                USER);
    }

    public List<AppUser> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM app_user ORDER BY username", Params.none(), USER);
    }

    /** One page of the users by username, for the REST API's {@code /users}. */
    public Page<AppUser> page(int limit, int offset) {
        return PagedQuery.run(jdbc, COLUMNS, "FROM app_user", Params.none(), BY_USERNAME, limit, offset, USER);
    }

    public int count() {
        return jdbc.queryOne("SELECT count(*) FROM app_user", Params.none(), row -> row.getInt(1))
                .orElse(0);
    }

    /** How many active admins there are, so that the last one is never removed or demoted. */
    public int activeAdmins() {
        return jdbc.queryOne(
                        "SELECT count(*) FROM app_user WHERE role = 'admin' AND active",
                        Params.none(),
                        row -> row.getInt(1))
                .orElse(0);
    }

    public boolean setPasswordHash(String username, String passwordHash) {
        return setColumn(username, "password_hash", passwordHash);
    }

    public boolean setRole(String username, String role) {
        return setColumn(username, "role", role);
    }

    public boolean setActive(String username, boolean active) {
        return setColumn(username, "active", active);
    }

    public boolean setEmail(String username, String email) {
        return setColumn(username, "email", email);
    }

    public boolean setFirstName(String username, String firstName) {
        return setColumn(username, "first_name", firstName);
    }

    public boolean setLastName(String username, String lastName) {
        return setColumn(username, "last_name", lastName);
    }

    /** {@code column} is one of the literals above, never input; returns false when there is no such user. */
    private boolean setColumn(String username, String column, Object value) {
        return jdbc.update(
                        "UPDATE app_user SET " + column + " = :value, changed_on = now() WHERE username = :username",
                        Params.of("value", value).and("username", username))
                > 0;
    }

    public void recordLogin(long id, Instant at) {
        jdbc.update(
                "UPDATE app_user SET last_login = :at, login_count = login_count + 1, failed_login_count = 0"
                        + " WHERE id = :id",
                Params.of("at", at).and("id", id));
    }

    /** Counts a failed login of {@code username} (nothing when there is no such user), as Airflow's FAB does. */
    public void recordFailedLogin(String username) {
        jdbc.update(
                "UPDATE app_user SET failed_login_count = failed_login_count + 1 WHERE username = :username",
                Params.of("username", username));
    }

    /** Deletes a user with their sessions and tokens (cascade); false when there was none. */
    public boolean delete(String username) {
        return jdbc.update("DELETE FROM app_user WHERE username = :username", Params.of("username", username)) > 0;
    }
}
