package dev.gust.core.store.users;

import dev.gust.core.users.Permission;
import java.util.List;

/** A row of {@code custom_role}: a role made through the REST API, with the permissions it lists. */
public record CustomRole(String name, List<Permission> permissions) {}
