package dev.gust.core.users;

/**
 * One permission as Airflow's FAB names it: an action ({@code can_read}, {@code can_edit},
 * {@code can_create}, {@code can_delete}, {@code menu_access}) on a resource ({@code DAGs},
 * {@code Connections}...). Roles are sets of these.
 */
public record Permission(String action, String resource) implements Comparable<Permission> {

    public Permission {
        if (action == null || action.isBlank() || resource == null || resource.isBlank()) {
            throw new UserAccountException("a permission needs an action and a resource, e.g. can_read on DAGs; got "
                    + action + " on " + resource);
        }
    }

    @Override
    public int compareTo(Permission other) {
        int byResource = resource.compareTo(other.resource);
        return byResource != 0 ? byResource : action.compareTo(other.action);
    }
}
