package dev.gust.core.users;

import dev.gust.core.store.Stores;
import dev.gust.core.store.users.CustomRole;
import dev.gust.core.store.users.CustomRoleRepository;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The roles a user is given by name (Airflow's {@code roles: [{"name": ...}]}), split into the
 * built-in role that decides what they may do and the custom roles they hold besides. With
 * several built-in roles the most allowed wins; with only custom roles, the most allowed
 * built-in role whose every permission they grant, so that a custom role never grants more
 * than it lists.
 */
public record UserRoles(String builtIn, List<String> custom) {

    public static UserRoles resolve(Stores tx, List<String> names) {
        CustomRoleRepository roles = new CustomRoleRepository(tx.jdbc());
        Set<String> unknown = new LinkedHashSet<>();
        String builtIn = null;
        List<String> custom = new ArrayList<>();
        Set<Permission> granted = new LinkedHashSet<>();
        for (String name : names) {
            Optional<String> builtInName = BuiltInRoles.displayName(name);
            if (builtInName.isPresent()) {
                if (builtIn == null
                        || BuiltInRoles.NAMES.indexOf(builtInName.get()) > BuiltInRoles.NAMES.indexOf(builtIn)) {
                    builtIn = builtInName.get();
                }
                continue;
            }
            Optional<CustomRole> role = roles.find(name);
            if (role.isEmpty()) {
                unknown.add(name);
            } else if (!custom.contains(name)) {
                custom.add(name);
                granted.addAll(role.get().permissions());
            }
        }
        if (!unknown.isEmpty()) {
            throw new UserAccountException("unknown roles: " + String.join(", ", unknown)
                    + "; use Admin, Op, User, Viewer or a role made with POST /api/v1/roles");
        }
        if (builtIn == null) {
            builtIn = BuiltInRoles.coveredBy(granted)
                    .orElseThrow(() -> new UserAccountException("the roles " + (names.isEmpty() ? "[]" : names)
                            + " grant less than Viewer, the least a Gust user may do; add Viewer to the roles,"
                            + " or deactivate the user (active: false) to take all access away"));
        }
        return new UserRoles(BuiltInRoles.storedName(builtIn), List.copyOf(custom));
    }
}
