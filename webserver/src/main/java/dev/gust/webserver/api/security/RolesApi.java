package dev.gust.webserver.api.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.store.users.CustomRole;
import dev.gust.core.users.BuiltInRoles;
import dev.gust.core.users.CustomRoles;
import dev.gust.core.users.Permission;
import dev.gust.core.users.UserAccountException;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.CurrentUser;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Airflow's {@code /roles} and {@code /permissions} (FAB's security endpoints), Admin only. The
 * four built-in roles are listed with their permissions and cannot be changed; custom roles are
 * created, read, changed ({@code update_mask} of {@code name} and {@code actions}) and deleted as
 * FAB does. A permission names an action and a resource that some built-in role uses, as FAB
 * refuses actions and resources it does not know.
 */
public final class RolesApi {

    private static final Set<String> FIELDS = Set.of("name", "actions");

    /** Airflow's {@code Role}. */
    public record RoleResponse(String name, List<ActionResource> actions) {

        static RoleResponse of(CustomRole role) {
            return new RoleResponse(
                    role.name(),
                    role.permissions().stream()
                            .map(p -> new ActionResource(new Named(p.action()), new Named(p.resource())))
                            .toList());
        }
    }

    /** Airflow's {@code ActionResource}. */
    public record ActionResource(Named action, Named resource) {}

    /** Airflow's {@code Action} and {@code Resource}: a name. */
    public record Named(String name) {}

    /** Airflow's {@code RoleCollection}. */
    public record Roles(List<RoleResponse> roles, long totalEntries) {}

    /** Airflow's {@code ActionCollection}. */
    public record Actions(List<Named> actions, long totalEntries) {}

    private final ApiContext api;
    private final CustomRoles roles;
    private final Set<String> knownActions;
    private final Set<String> knownResources;

    private RolesApi(ApiContext api) {
        this.api = api;
        this.roles = new CustomRoles(api.services().stores());
        this.knownActions = BuiltInRoles.actions();
        this.knownResources = new TreeSet<>();
        BuiltInRoles.permissions("Admin").forEach(p -> knownResources.add(p.resource()));
    }

    public static void register(ApiRouter router, ApiContext api) {
        RolesApi handlers = new RolesApi(api);
        router.resource(
                "/roles",
                "role_name",
                Role.ADMIN,
                Role.ADMIN,
                new ApiRouter.Resource(
                        handlers::list, handlers::create, handlers::get, handlers::patch, handlers::delete));
        router.get("/permissions", handlers::permissions, Role.ADMIN);
    }

    private void list(Context ctx) {
        ApiRequest.Paging paging = api.paging(ctx);
        List<CustomRole> all = new ArrayList<>(roles.all());
        String orderBy = ApiRequest.textParam(ctx, "order_by");
        if (orderBy != null) {
            boolean descending = orderBy.startsWith("-");
            String field = descending ? orderBy.substring(1) : orderBy;
            if (!field.equals("name")) {
                throw ApiProblem.badRequest(
                        "Ordering with '" + field + "' is disallowed or the attribute does not exist on the model;"
                                + " order_by takes name or -name");
            }
            Comparator<CustomRole> byName = Comparator.comparing(CustomRole::name);
            all.sort(descending ? byName.reversed() : byName);
        }
        List<RoleResponse> page = all.stream()
                .skip(paging.offset())
                .limit(paging.limit())
                .map(RoleResponse::of)
                .toList();
        ApiJson.ok(ctx, new Roles(page, all.size()));
    }

    private void get(Context ctx) {
        ApiJson.ok(ctx, RoleResponse.of(find(ctx.pathParam("role_name"))));
    }

    private void create(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String name = ApiRequest.required("name", ApiRequest.text(body, "name"));
        List<Permission> permissions = permissions(body);
        try {
            ApiJson.ok(ctx, RoleResponse.of(roles.create(name, permissions, CurrentUser.name(ctx))));
        } catch (CustomRoles.RoleConflictException e) {
            throw ApiProblem.conflict(e.getMessage());
        } catch (UserAccountException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    /** FAB's {@code patch_role}: the mask names {@code name} and/or {@code actions}; without it, both are set. */
    private void patch(Context ctx) {
        CustomRole current = find(ctx.pathParam("role_name"));
        Set<String> mask = ApiRequest.updateMask(ctx, FIELDS);
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String name = ApiRequest.required("name", ApiRequest.text(body, "name"));
        boolean renames = mask.isEmpty() || mask.contains("name");
        boolean setsActions = mask.isEmpty() ? body.has("actions") : mask.contains("actions");
        List<Permission> permissions = setsActions ? permissions(body) : current.permissions();
        try {
            CustomRole updated =
                    roles.update(current.name(), renames ? name : current.name(), permissions, CurrentUser.name(ctx));
            ApiJson.ok(ctx, RoleResponse.of(updated));
        } catch (CustomRoles.RoleConflictException e) {
            throw ApiProblem.conflict(e.getMessage());
        } catch (UserAccountException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    private void delete(Context ctx) {
        CustomRole role = find(ctx.pathParam("role_name"));
        try {
            roles.delete(role.name(), CurrentUser.name(ctx));
        } catch (UserAccountException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        ctx.status(204);
    }

    /** The actions permissions use; FAB's {@code get_permissions} lists actions, not pairs. */
    private void permissions(Context ctx) {
        ApiRequest.Paging paging = api.paging(ctx);
        List<Named> page = knownActions.stream()
                .skip(paging.offset())
                .limit(paging.limit())
                .map(Named::new)
                .toList();
        ApiJson.ok(ctx, new Actions(page, knownActions.size()));
    }

    private CustomRole find(String name) {
        return roles.find(name)
                .orElseThrow(() -> ApiProblem.notFound(
                        "Not Found", "The Role with name `" + name + "` was not found; GET /api/v1/roles lists them"));
    }

    /** {@code actions: [{"action": {"name"}, "resource": {"name"}}]}, each known to Gust. */
    private List<Permission> permissions(ObjectNode body) {
        JsonNode actions = body.get("actions");
        if (actions == null || actions.isNull()) {
            return List.of();
        }
        if (!actions.isArray()) {
            throw ApiProblem.badRequest(
                    "actions must be a list like [{\"action\": {\"name\": \"can_read\"}, \"resource\": {\"name\": \"DAGs\"}}]");
        }
        List<Permission> permissions = new ArrayList<>();
        for (JsonNode item : actions) {
            String action = item.path("action").path("name").asText("");
            String resource = item.path("resource").path("name").asText("");
            if (!knownActions.contains(action)) {
                throw ApiProblem.badRequest("The specified action: '" + action + "' was not found; use one of "
                        + String.join(", ", knownActions));
            }
            if (!knownResources.contains(resource)) {
                throw ApiProblem.badRequest("The specified resource: '" + resource + "' was not found; use one of "
                        + String.join(", ", knownResources));
            }
            permissions.add(new Permission(action, resource));
        }
        return permissions;
    }
}
