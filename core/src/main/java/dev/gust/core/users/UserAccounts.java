package dev.gust.core.users;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Stores;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.users.ApiTokenInfo;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.store.users.CustomRoleRepository;
import dev.gust.core.store.users.UserRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What may be done to users, in one place for the CLI ({@code gust users ...}) and the Users admin
 * page: create, change role, reset password, deactivate, delete, issue API tokens. Each change is
 * checked (role names, password policy, never removing the last admin, never an admin removing
 * or demoting themselves) and written to the audit log as done by {@code actor}, the signed-in
 * username for the web server ({@code cli:...} for the CLI, which no username can be); passwords
 * and tokens never reach the log.
 */
public final class UserAccounts {

    /** Airflow's roles, as stored in {@code app_user.role}, from most to least allowed. */
    public static final List<String> ROLES = List.of("admin", "op", "user", "viewer");

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");

    private final Stores stores;
    private final Clock clock;

    public UserAccounts(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /** Accounts over {@code jdbc} alone, for callers that have not opened their {@link Stores} yet (the CLI). */
    public UserAccounts(Jdbc jdbc, Clock clock) {
        this(Stores.withoutSecrets(jdbc), clock);
    }

    public List<AppUser> list() {
        return stores.users().list();
    }

    /** Creates a user; the password is checked against the policy and stored as a bcrypt hash. */
    public AppUser create(String username, String role, String email, String password, String actor) {
        return create(username, role, email, password, "", "", actor);
    }

    /** {@link #create(String, String, String, String, String)} with the user's first and last names (Airflow's CLI asks for both). */
    public AppUser create(
            String username,
            String role,
            String email,
            String password,
            String firstName,
            String lastName,
            String actor) {
        checkUsername(username);
        String checkedRole = checkRole(role);
        String hash = Passwords.hash(password);
        return stores.inTransaction(tx -> {
            UserRepository users = tx.users();
            users.create(username, blankToNull(email), hash, checkedRole, firstName, lastName)
                    .orElseThrow(() -> new UserAccountException(
                            "user '" + username + "' already exists; pick another name or reset their password"));
            log(tx, "user.create", actor, "username=" + username + " role=" + checkedRole);
            return users.find(username).orElseThrow();
        });
    }

    /** A user as the REST API creates one: Airflow's fields, roles by name (built-in or custom). */
    public record NewUser(
            String username, List<String> roles, String email, String password, String firstName, String lastName) {}

    /**
     * Creates a user from the REST API's fields; the roles decide the built-in role (see {@link
     * UserRoles}) and the custom roles kept with the user.
     */
    public AppUser create(NewUser user, String actor) {
        checkUsername(user.username());
        Passwords.checkPolicy(user.password());
        String hash = Passwords.hash(user.password());
        return stores.inTransaction(tx -> {
            UserRoles roles = UserRoles.resolve(tx, user.roles());
            long id = tx.users()
                    .create(
                            user.username(),
                            blankToNull(user.email()),
                            hash,
                            roles.builtIn(),
                            user.firstName(),
                            user.lastName())
                    .orElseThrow(() -> new UserAccountException("user '" + user.username()
                            + "' already exists; pick another name or reset their password"));
            new CustomRoleRepository(tx.jdbc()).assign(id, roles.custom());
            log(tx, "user.create", actor, "username=" + user.username() + " role=" + roles.builtIn());
            return tx.users().find(user.username()).orElseThrow();
        });
    }

    /** What a change of a user sets; null fields stay as they are. */
    public record UserChange(String email, String firstName, String lastName, String password, List<String> roles) {}

    /**
     * Changes a user's fields, as the REST API's {@code PATCH /users/{username}}: the same checks
     * as the single changes (policy, never demoting oneself or the last admin), in one transaction.
     */
    public AppUser update(String username, UserChange change, String actor) {
        String hash = change.password() == null ? null : hashChecked(change.password());
        return stores.inTransaction(tx -> {
            AppUser user = existing(tx, username);
            UserRepository users = tx.users();
            if (change.roles() != null) {
                UserRoles roles = UserRoles.resolve(tx, change.roles());
                if (!user.role().equals(roles.builtIn())) {
                    refuseSelf(user, actor, "change your own role");
                    if (user.role().equals("admin")) {
                        keepOneAdmin(tx, user);
                    }
                    users.setRole(username, roles.builtIn());
                }
                new CustomRoleRepository(tx.jdbc()).assign(user.id(), roles.custom());
            }
            if (change.email() != null) {
                users.setEmail(username, blankToNull(change.email()));
            }
            if (change.firstName() != null) {
                users.setFirstName(username, change.firstName());
            }
            if (change.lastName() != null) {
                users.setLastName(username, change.lastName());
            }
            if (hash != null) {
                users.setPasswordHash(username, hash);
                tx.webSessions().deleteForUser(user.id());
            }
            log(tx, "user.update", actor, "username=" + username);
            return users.find(username).orElseThrow();
        });
    }

    private static String hashChecked(String password) {
        Passwords.checkPolicy(password);
        return Passwords.hash(password);
    }

    public void resetPassword(String username, String password, String actor) {
        String hash = Passwords.hash(password);
        stores.inTransaction(tx -> {
            AppUser user = existing(tx, username);
            tx.users().setPasswordHash(username, hash);
            // Whoever knew the old password may hold a session; it ends with the password.
            tx.webSessions().deleteForUser(user.id());
            log(tx, "user.reset_password", actor, "username=" + username);
            return null;
        });
    }

    public void changeRole(String username, String role, String actor) {
        String checkedRole = checkRole(role);
        stores.inTransaction(tx -> {
            AppUser user = existing(tx, username);
            if (!user.role().equals(checkedRole)) {
                refuseSelf(user, actor, "change your own role");
            }
            if (user.role().equals("admin") && !checkedRole.equals("admin")) {
                keepOneAdmin(tx, user);
            }
            tx.users().setRole(username, checkedRole);
            log(tx, "user.change_role", actor, "username=" + username + " role=" + checkedRole);
            return null;
        });
    }

    public void setActive(String username, boolean active, String actor) {
        stores.inTransaction(tx -> {
            AppUser user = existing(tx, username);
            if (!active) {
                refuseSelf(user, actor, "deactivate yourself");
            }
            if (!active && user.role().equals("admin")) {
                keepOneAdmin(tx, user);
            }
            tx.users().setActive(username, active);
            if (!active) {
                tx.webSessions().deleteForUser(user.id());
            }
            log(tx, active ? "user.activate" : "user.deactivate", actor, "username=" + username);
            return null;
        });
    }

    public void delete(String username, String actor) {
        stores.inTransaction(tx -> {
            AppUser user = existing(tx, username);
            refuseSelf(user, actor, "delete yourself");
            if (user.role().equals("admin")) {
                keepOneAdmin(tx, user);
            }
            tx.users().delete(username);
            log(tx, "user.delete", actor, "username=" + username);
            return null;
        });
    }

    /**
     * Issues an API token for a user and returns it: the only time it is ever visible. Null
     * {@code expiresIn} means it never expires.
     */
    public String issueToken(String username, String name, Duration expiresIn, String actor) {
        String token = SecretTokens.newApiToken();
        Instant expiresAt = expiresIn == null ? null : clock.instant().plus(expiresIn);
        stores.inTransaction(tx -> {
            AppUser user = existing(tx, username);
            tx.apiTokens().create(user.id(), name, SecretTokens.sha256(token), expiresAt);
            log(
                    tx,
                    "token.create",
                    actor,
                    "username=" + username + " name=" + name + (expiresAt == null ? "" : " expires_at=" + expiresAt));
            return null;
        });
        return token;
    }

    /** A user's API tokens (names and dates only), newest first. */
    public List<ApiTokenInfo> tokens(String username) {
        return stores.apiTokens().listForUser(existing(stores, username).id());
    }

    /** Revokes a user's tokens named {@code name}: the way out when a token leaked. */
    public void revokeToken(String username, String name, String actor) {
        stores.inTransaction(tx -> {
            AppUser user = existing(tx, username);
            if (tx.apiTokens().deleteByName(user.id(), name) == 0) {
                throw new UserAccountException("user '" + username + "' has no API token named '" + name
                        + "'; 'gust users tokens --username " + username + "' lists them");
            }
            log(tx, "token.revoke", actor, "username=" + username + " name=" + name);
            return null;
        });
    }

    /** The role name as stored, or an exception listing the valid ones. */
    public static String checkRole(String role) {
        String lower = role == null ? "" : role.trim().toLowerCase(Locale.ROOT);
        if (!ROLES.contains(lower)) {
            throw new UserAccountException("unknown role '" + role + "'; use one of " + String.join(", ", ROLES));
        }
        return lower;
    }

    private static void checkUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new UserAccountException(
                    "the username '" + username + "' is not valid: use 1 to 64 letters, digits and . _ @ + -, "
                            + "starting with a letter or digit");
        }
    }

    private static AppUser existing(Stores tx, String username) {
        return tx.users()
                .find(username)
                .orElseThrow(
                        () -> new UserAccountException("no user '" + username + "'; 'gust users list' shows them"));
    }

    /** One click must not lock the signed-in admin out: another admin has to do it. */
    private static void refuseSelf(AppUser user, String actor, String what) {
        if (user.username().equals(actor)) {
            throw new UserAccountException(
                    "you cannot " + what + " while signed in as '" + actor + "'; ask another admin to do it");
        }
    }

    private static void keepOneAdmin(Stores tx, AppUser user) {
        // Lock the admins so that two requests cannot each remove "the other" last admin.
        tx.jdbc()
                .query(
                        "SELECT id FROM app_user WHERE role = 'admin' AND active FOR UPDATE",
                        dev.gust.core.store.Params.none(),
                        row -> row.getLong(1));
        if (user.active() && tx.users().activeAdmins() <= 1) {
            throw new UserAccountException(
                    "'" + user.username() + "' is the last active admin; make another admin first");
        }
    }

    private static void log(Stores tx, String event, String actor, String extra) {
        tx.events().append(new Event(event, null, null, null, actor, extra));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
