package dev.gust.core.users;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The four roles every Gust has, as Airflow's FAB security manager defines them: Viewer, User,
 * Op and Admin, each with everything of the one before it. Their permissions are Airflow's
 * action/resource pairs (for the REST API's {@code /roles} and {@code /permissions}); what a
 * user may do is decided by the built-in role stored on the user ({@code app_user.role}).
 */
public final class BuiltInRoles {

    /** Display names, least allowed first, as Airflow writes them. */
    public static final List<String> NAMES = List.of("Viewer", "User", "Op", "Admin");

    private static final String READ = "can_read";
    private static final String EDIT = "can_edit";
    private static final String CREATE = "can_create";
    private static final String DELETE = "can_delete";
    private static final String MENU = "menu_access";

    private static final Set<Permission> VIEWER = permissions(
            List.of(
                    "Audit Logs",
                    "DAGs",
                    "DAG Dependencies",
                    "DAG Code",
                    "DAG Runs",
                    "Datasets",
                    "Cluster Activity",
                    "ImportError",
                    "DAG Warnings",
                    "Jobs",
                    "My Password",
                    "My Profile",
                    "Plugins",
                    "SLA Misses",
                    "Task Instances",
                    "Task Logs",
                    "XComs",
                    "Website"),
            READ,
            List.of("My Password", "My Profile"),
            EDIT,
            List.of(
                    "Browse",
                    "DAGs",
                    "DAG Dependencies",
                    "DAG Runs",
                    "Datasets",
                    "Cluster Activity",
                    "Documentation",
                    "Docs",
                    "Jobs",
                    "Audit Logs",
                    "Plugins",
                    "SLA Misses",
                    "Task Instances"),
            MENU);
    private static final Set<Permission> USER = union(
            VIEWER,
            permissions(
                    List.of("DAGs", "Task Instances", "DAG Runs"),
                    EDIT,
                    List.of("DAGs", "Task Instances", "DAG Runs"),
                    DELETE,
                    List.of("Task Instances", "DAG Runs"),
                    CREATE));
    private static final Set<Permission> OP = union(
            USER,
            permissions(
                    List.of("Configurations", "Connections", "Pools", "Providers", "Variables"),
                    READ,
                    List.of("Connections", "Pools", "Variables"),
                    CREATE,
                    List.of("Connections", "Pools", "Variables"),
                    EDIT,
                    List.of("Connections", "Pools", "Variables", "XComs"),
                    DELETE,
                    List.of("Admin", "Configurations", "Connections", "Pools", "Variables", "Providers", "XComs"),
                    MENU));
    private static final Set<Permission> ADMIN = union(
            OP,
            permissions(
                    List.of("Task Reschedules", "Triggers", "Passwords", "Roles", "Users", "Permissions"),
                    READ,
                    List.of("Passwords", "Roles", "Users"),
                    EDIT,
                    List.of("Roles", "Users"),
                    CREATE,
                    List.of("Roles", "Users"),
                    DELETE,
                    List.of("Task Reschedules", "Triggers", "Roles", "Users"),
                    MENU));

    private BuiltInRoles() {}

    /** The display name ({@code Admin}) of a built-in role, given in any case; empty when it is none. */
    public static Optional<String> displayName(String name) {
        return NAMES.stream().filter(n -> n.equalsIgnoreCase(name)).findFirst();
    }

    /** The name stored in {@code app_user.role} ({@code admin}) for a display name. */
    public static String storedName(String displayName) {
        return displayName.toLowerCase(Locale.ROOT);
    }

    public static Set<Permission> permissions(String displayName) {
        return switch (displayName) {
            case "Viewer" -> VIEWER;
            case "User" -> USER;
            case "Op" -> OP;
            case "Admin" -> ADMIN;
            default -> throw new IllegalArgumentException("not a built-in role: " + displayName);
        };
    }

    /** Every action name any built-in role uses, for {@code /permissions}. */
    public static Set<String> actions() {
        Set<String> actions = new TreeSet<>();
        ADMIN.forEach(p -> actions.add(p.action()));
        return actions;
    }

    /**
     * The most allowed built-in role whose every permission {@code granted} holds: what a user
     * with only custom roles may do, so that a custom role never grants more than it lists.
     */
    public static Optional<String> coveredBy(Collection<Permission> granted) {
        Set<Permission> held = Set.copyOf(granted);
        for (String name : NAMES.reversed()) {
            if (held.containsAll(permissions(name))) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Pairs of (resources, action) given flat: {@code permissions(resources, action, resources, action...)}. */
    @SuppressWarnings("unchecked")
    private static Set<Permission> permissions(Object... resourcesThenAction) {
        Set<Permission> result = new TreeSet<>();
        for (int i = 0; i < resourcesThenAction.length; i += 2) {
            for (String resource : (List<String>) resourcesThenAction[i]) {
                result.add(new Permission((String) resourcesThenAction[i + 1], resource));
            }
        }
        return java.util.Collections.unmodifiableSet(result);
    }

    private static Set<Permission> union(Set<Permission> base, Set<Permission> more) {
        List<Permission> all = new ArrayList<>(base);
        all.addAll(more);
        return java.util.Collections.unmodifiableSet(new TreeSet<>(all));
    }
}
