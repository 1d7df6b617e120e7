package dev.gust.core.store.users;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import dev.gust.core.users.Permission;
import java.util.List;
import java.util.Optional;

/**
 * The {@code custom_role} table and the custom roles users hold ({@code app_user_custom_role}).
 * Permissions are kept as a JSON list of {@code {"action", "resource"}} objects.
 */
public final class CustomRoleRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Permission>> PERMISSIONS = new TypeReference<>() {};

    private static final RowMapper<CustomRole> ROLE =
            row -> new CustomRole(row.getString("name"), read(row.getString("permissions")));

    private final Jdbc jdbc;

    public CustomRoleRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<CustomRole> list() {
        return jdbc.query("SELECT name, permissions FROM custom_role ORDER BY name", Params.none(), ROLE);
    }

    public Optional<CustomRole> find(String name) {
        return jdbc.queryOne(
                "SELECT name, permissions FROM custom_role WHERE name = :name", Params.of("name", name), ROLE);
    }

    /** Adds a role; false when the name is taken. */
    public boolean create(String name, List<Permission> permissions) {
        return jdbc.update("""
                INSERT INTO custom_role (name, permissions) VALUES (:name, CAST(:permissions AS jsonb))
                ON CONFLICT (name) DO NOTHING
                """, Params.of("name", name).and("permissions", write(permissions))) > 0;
    }

    /** Renames a role and sets its permissions (users holding it keep it); false when there is none. */
    public boolean update(String name, String newName, List<Permission> permissions) {
        return jdbc.update("""
                UPDATE custom_role SET name = :newName, permissions = CAST(:permissions AS jsonb)
                 WHERE name = :name
                """, Params.of("name", name).and("newName", newName).and("permissions", write(permissions)))
                > 0;
    }

    public boolean delete(String name) {
        return jdbc.update("DELETE FROM custom_role WHERE name = :name", Params.of("name", name)) > 0;
    }

    /** Sets the custom roles a user holds. */
    public void assign(long userId, List<String> roleNames) {
        jdbc.update("DELETE FROM app_user_custom_role WHERE user_id = :userId", Params.of("userId", userId));
        for (String role : roleNames) {
            jdbc.update(
                    "INSERT INTO app_user_custom_role (user_id, role_name) VALUES (:userId, :role)",
                    Params.of("userId", userId).and("role", role));
        }
    }

    private static List<Permission> read(String json) {
        try {
            return JSON.readValue(json, PERMISSIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("custom_role.permissions does not parse", e);
        }
    }

    private static String write(List<Permission> permissions) {
        try {
            return JSON.writeValueAsString(permissions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write permissions as JSON", e);
        }
    }
}
