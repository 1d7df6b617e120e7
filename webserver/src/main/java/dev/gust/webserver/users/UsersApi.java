package dev.gust.webserver.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.users.BuiltInRoles;
import dev.gust.core.users.UserAccountException;
import dev.gust.core.users.UserAccounts;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.CurrentUser;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Airflow's user endpoints of the stable REST API, Admin only: list, get, create, {@code PATCH}
 * (with {@code update_mask}, as FAB's) and delete. Roles appear as Airflow names them ({@code
 * [{"name": "Admin"}]}): the user's built-in role, then the custom roles they hold; the built-in
 * role decides access (see {@link dev.gust.core.users.UserRoles}). Passwords are accepted and
 * never returned.
 */
public final class UsersApi {

    /** The fields a client may send; FAB refuses the read-only ones. */
    private static final Set<String> WRITABLE =
            Set.of("username", "email", "first_name", "last_name", "roles", "password");

    private static final Set<String> MASKABLE = Set.of("email", "first_name", "last_name", "roles", "password");

    /** Airflow's {@code UserCollectionItem}. */
    public record UserResponse(
            String firstName,
            String lastName,
            String username,
            String email,
            Boolean active,
            Instant lastLogin,
            Integer loginCount,
            Integer failedLoginCount,
            List<RoleName> roles,
            Instant createdOn,
            Instant changedOn) {

        static UserResponse of(AppUser user) {
            List<RoleName> roles = new ArrayList<>();
            roles.add(new RoleName(BuiltInRoles.displayName(user.role()).orElse(user.role())));
            user.customRoles().forEach(name -> roles.add(new RoleName(name)));
            return new UserResponse(
                    user.firstName(),
                    user.lastName(),
                    user.username(),
                    // Users made by `gust users create` without --email have none; the field is a string.
                    user.email() == null ? "" : user.email(),
                    user.active(),
                    user.lastLogin(),
                    user.loginCount(),
                    user.failedLoginCount(),
                    roles,
                    user.createdAt(),
                    user.changedOn());
        }
    }

    /** An item of {@code UserCollectionItem.roles}. */
    public record RoleName(String name) {}

    /** Airflow's {@code UserCollection}. */
    public record Collection(List<UserResponse> users, long totalEntries) {}

    private final ApiContext api;
    private final UserAccounts accounts;
    private final UserRepository users;

    private UsersApi(ApiContext api) {
        this.api = api;
        this.accounts = new UserAccounts(api.services().stores(), api.services().clock());
        this.users = api.services().stores().users();
    }

    public static void register(ApiRouter router, ApiContext api) {
        UsersApi handlers = new UsersApi(api);
        router.resource(
                "/users",
                "username",
                Role.ADMIN,
                Role.ADMIN,
                new ApiRouter.Resource(
                        handlers::list, handlers::create, handlers::get, handlers::patch, handlers::delete));
    }

    private void list(Context ctx) {
        ApiRequest.Paging paging = api.paging(ctx);
        Page<AppUser> page = users.page(paging.limit(), paging.offset());
        ApiJson.ok(
                ctx, new Collection(page.items().stream().map(UserResponse::of).toList(), page.totalEntries()));
    }

    private void get(Context ctx) {
        ApiJson.ok(ctx, UserResponse.of(find(ctx.pathParam("username"))));
    }

    private void create(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, WRITABLE);
        String username = ApiRequest.required("username", ApiRequest.text(body, "username"));
        if (users.find(username).isPresent()) {
            throw ApiProblem.conflict("Username `" + username + "` already exists. Use PATCH to update.");
        }
        List<String> roles = roleNames(body);
        UserAccounts.NewUser user = new UserAccounts.NewUser(
                username,
                roles == null || roles.isEmpty() ? List.of("Viewer") : roles,
                // Airflow requires an email; Gust's users may have none (the CLI's --email is optional too).
                ApiRequest.text(body, "email"),
                ApiRequest.required("password", ApiRequest.text(body, "password")),
                textOrEmpty(body, "first_name"),
                textOrEmpty(body, "last_name"));
        try {
            ApiJson.ok(ctx, UserResponse.of(accounts.create(user, CurrentUser.name(ctx))));
        } catch (UserAccountException e) {
            throw e.getMessage().contains("already exists")
                    ? ApiProblem.conflict(e.getMessage())
                    : ApiProblem.badRequest(e.getMessage());
        }
    }

    /**
     * FAB's {@code patch_user}: with {@code update_mask}, only the named fields change (each must
     * be in the body); without, every field the body carries. The username cannot change here.
     */
    private void patch(Context ctx) {
        String username = find(ctx.pathParam("username")).username();
        Set<String> mask = ApiRequest.updateMask(ctx, MASKABLE);
        ObjectNode body = ApiRequest.body(ctx, WRITABLE);
        String bodyName = ApiRequest.text(body, "username");
        if (bodyName != null && !bodyName.equals(username)) {
            throw ApiProblem.badRequest("the body's username '" + bodyName + "' differs from the path's '" + username
                    + "'; Gust does not rename users: create the new user and delete the old");
        }
        Set<String> fields = new LinkedHashSet<>(mask);
        if (mask.isEmpty()) {
            body.fieldNames().forEachRemaining(fields::add);
            fields.remove("username");
        }
        for (String field : fields) {
            if (!body.has(field)) {
                throw ApiProblem.badRequest("update_mask names '" + field + "', which the body does not carry;"
                        + " send its new value or leave it out of update_mask");
            }
        }
        UserAccounts.UserChange change = new UserAccounts.UserChange(
                fields.contains("email") ? ApiRequest.required("email", ApiRequest.text(body, "email")) : null,
                fields.contains("first_name") ? textOrEmpty(body, "first_name") : null,
                fields.contains("last_name") ? textOrEmpty(body, "last_name") : null,
                fields.contains("password") ? ApiRequest.required("password", ApiRequest.text(body, "password")) : null,
                fields.contains("roles") ? ApiRequest.required("roles", roleNames(body)) : null);
        try {
            ApiJson.ok(ctx, UserResponse.of(accounts.update(username, change, CurrentUser.name(ctx))));
        } catch (UserAccountException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    private void delete(Context ctx) {
        String username = find(ctx.pathParam("username")).username();
        try {
            accounts.delete(username, CurrentUser.name(ctx));
            ctx.status(204);
        } catch (UserAccountException e) {
            throw ApiProblem.conflict(e.getMessage());
        }
    }

    private AppUser find(String username) {
        return users.find(username)
                .orElseThrow(() ->
                        ApiProblem.notFound("Not Found", "The User with username `" + username + "` was not found"));
    }

    /** {@code roles: [{"name": "Op"}, ...]} as names; null when absent. */
    private static List<String> roleNames(ObjectNode body) {
        JsonNode roles = body.get("roles");
        if (roles == null || roles.isNull()) {
            return null;
        }
        if (!roles.isArray()) {
            throw ApiProblem.badRequest("roles must be a list of objects like {\"name\": \"Viewer\"}");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode role : roles) {
            if (!role.isObject() || !role.path("name").isTextual()) {
                throw ApiProblem.badRequest("roles must be a list of objects like {\"name\": \"Viewer\"}");
            }
            names.add(role.get("name").asText());
        }
        return names;
    }

    private static String textOrEmpty(ObjectNode body, String field) {
        String value = ApiRequest.text(body, field);
        return value == null ? "" : value;
    }
}
