package dev.gust.core.users;

import dev.gust.core.store.Stores;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.users.CustomRole;
import dev.gust.core.store.users.CustomRoleRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What may be done to roles, as Airflow's FAB allows through the REST API: the four built-in
 * roles ({@link BuiltInRoles}) are read-only, custom roles are created, changed (name and
 * permissions) and deleted. Each change is written to the audit log as done by {@code actor}.
 */
public final class CustomRoles {

    private final Stores stores;

    public CustomRoles(Stores stores) {
        this.stores = stores;
    }

    /** Every role, built-in first (least allowed first), then custom ones by name. */
    public List<CustomRole> all() {
        List<CustomRole> all = new ArrayList<>();
        for (String name : BuiltInRoles.NAMES) {
            all.add(builtIn(name));
        }
        all.addAll(new CustomRoleRepository(stores.jdbc()).list());
        return all;
    }

    public Optional<CustomRole> find(String name) {
        Optional<String> builtIn = BuiltInRoles.displayName(name).filter(n -> n.equals(name));
        if (builtIn.isPresent()) {
            return builtIn.map(CustomRoles::builtIn);
        }
        return new CustomRoleRepository(stores.jdbc()).find(name);
    }

    public CustomRole create(String name, List<Permission> permissions, String actor) {
        checkName(name);
        List<Permission> sorted = List.copyOf(new TreeSet<>(permissions));
        return stores.inTransaction(tx -> {
            if (!new CustomRoleRepository(tx.jdbc()).create(name, sorted)) {
                throw new RoleConflictException("the role '" + name + "' already exists; change it with PATCH"
                        + " /api/v1/roles/" + name + " or pick another name");
            }
            log(tx, "role.create", actor, "name=" + name + " permissions=" + sorted.size());
            return new CustomRole(name, sorted);
        });
    }

    /** Changes a custom role's name and permissions; the caller keeps what the update mask leaves out. */
    public CustomRole update(String name, String newName, List<Permission> permissions, String actor) {
        refuseBuiltIn(name, "changed");
        List<Permission> sorted = List.copyOf(new TreeSet<>(permissions));
        return stores.inTransaction(tx -> {
            CustomRoleRepository roles = new CustomRoleRepository(tx.jdbc());
            if (!newName.equals(name)) {
                checkName(newName);
                if (roles.find(newName).isPresent()) {
                    throw new RoleConflictException("the role '" + newName + "' already exists; pick another name");
                }
            }
            roles.update(name, newName, sorted);
            log(
                    tx,
                    "role.update",
                    actor,
                    "name=" + name + (newName.equals(name) ? "" : " new_name=" + newName) + " permissions="
                            + sorted.size());
            return new CustomRole(newName, sorted);
        });
    }

    public void delete(String name, String actor) {
        refuseBuiltIn(name, "deleted");
        stores.inTransaction(tx -> {
            new CustomRoleRepository(tx.jdbc()).delete(name);
            log(tx, "role.delete", actor, "name=" + name);
            return null;
        });
    }

    private static CustomRole builtIn(String name) {
        return new CustomRole(name, List.copyOf(BuiltInRoles.permissions(name)));
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new UserAccountException("a role needs a name of at least one character");
        }
        if (BuiltInRoles.displayName(name).isPresent()) {
            throw new RoleConflictException(
                    "'" + name + "' is one of the built-in roles Admin, Op, User and Viewer;" + " pick another name");
        }
    }

    private static void refuseBuiltIn(String name, String what) {
        if (BuiltInRoles.displayName(name).isPresent()) {
            throw new UserAccountException("the built-in role " + name + " cannot be " + what
                    + "; its permissions are Gust's own. Make a custom role with POST /api/v1/roles instead");
        }
    }

    private static void log(Stores tx, String event, String actor, String extra) {
        tx.events().append(new Event(event, null, null, null, actor, extra));
    }

    /** A role name that is taken: the API answers 409. */
    public static final class RoleConflictException extends UserAccountException {
        public RoleConflictException(String message) {
            super(message);
        }
    }
}
