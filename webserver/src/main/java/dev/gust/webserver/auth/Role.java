package dev.gust.webserver.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * Airflow's roles, from least to most allowed; each includes everything the ones before it may
 * do. Every route declares the least role it needs ({@code app.get(path, handler, Role.VIEWER)});
 * {@link #PUBLIC} routes ({@code /health}, the login page, static assets) need no session.
 *
 * <ul>
 *   <li>Viewer: read everything except secrets and users.</li>
 *   <li>User: also trigger, clear, mark, pause/unpause, delete runs.</li>
 *   <li>Op: also variables, connections and pools.</li>
 *   <li>Admin: also users.</li>
 * </ul>
 */
public enum Role implements RouteRole {
    PUBLIC,
    VIEWER,
    USER,
    OP,
    ADMIN;

    /** Whether someone with this role may use a route that needs {@code needed}. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The name stored in {@code app_user.role} and shown to people. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromDbName(String name) {
        for (Role role : values()) {
            if (role != PUBLIC && role.dbName().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; use one of admin, op, user, viewer");
    }
}
