package dev.gust.core.store.users;

import java.time.Instant;
import java.util.List;

/**
 * A row of {@code app_user}: a person who signs in to the web UI or the REST API. The role is
 * one of admin, op, user, viewer (Airflow's) and decides what they may do; {@code customRoles}
 * are the roles made through the REST API they also hold. The password is only ever kept as a
 * bcrypt hash; the login counts are Airflow's (successful UI logins, failures since the last).
 */
public record AppUser(
        long id,
        String username,
        String email,
        String passwordHash,
        String role,
        boolean active,
        Instant createdAt,
        Instant lastLogin,
        String firstName,
        String lastName,
        Instant changedOn,
        int loginCount,
        int failedLoginCount,
        List<String> customRoles) {

    public UserIdentity identity() {
        return new UserIdentity(id, username, role);
    }

    /** Without the hash, so that a user printed in a log never carries it. */
    @Override
    public String toString() {
        return "AppUser[id=" + id + ", username=" + username + ", role=" + role + ", active=" + active + "]";
    }
}
