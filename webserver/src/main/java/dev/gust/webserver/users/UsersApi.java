package dev.gust.webserver.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.users.Passwords;
import dev.gust.core.users.UserAccountException;
import dev.gust.core.users.UserAccounts;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.CurrentUser;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Airflow's user endpoints of the stable REST API, Admin only: {@code GET /api/v1/users} (with
 * {@code limit}/{@code offset} and {@code total_entries}), {@code GET /api/v1/users/{username}},
 * {@code POST /api/v1/users} and {@code DELETE /api/v1/users/{username}}. Roles appear as Airflow
 * names them ({@code [{"name": "Admin"}]}); passwords are accepted on create and never returned.
 * Registered through {@link ApiRouter} like the rest of the API, so paging follows
 * {@code api.maximum_page_limit} and errors are the API's problem JSON.
 */
public final class UsersApi {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        router.get("/users", handlers::list, Role.ADMIN);
        router.get("/users/{username}", handlers::get, Role.ADMIN);
        router.post("/users", handlers::create, Role.ADMIN);
        router.delete("/users/{username}", handlers::delete, Role.ADMIN);
    }

    private void list(Context ctx) {
        ApiRequest.Paging paging = api.paging(ctx);
        Page<AppUser> page = users.page(paging.limit(), paging.offset());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("users", page.items().stream().map(UsersApi::shape).toList());
        body.put("total_entries", page.totalEntries());
        ctx.json(body);
    }

    private void get(Context ctx) {
        ctx.json(shape(find(ctx.pathParam("username"))));
    }

    private void create(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("The request body must be a JSON object with username, password and roles.");
        }
        String username = body.path("username").asText("");
        String password = body.path("password").asText("");
        JsonNode roles = body.path("roles");
        String role =
                roles.isArray() && !roles.isEmpty() ? roles.get(0).path("name").asText("") : "viewer";
        try {
            Passwords.checkPolicy(password);
            AppUser user =
                    accounts.create(username, role, body.path("email").asText(null), password, CurrentUser.name(ctx));
            ctx.status(200).json(shape(user));
        } catch (UserAccountException e) {
            throw e.getMessage().contains("already exists")
                    ? ApiProblem.conflict("Conflict", e.getMessage())
                    : ApiProblem.badRequest(e.getMessage());
        }
    }

    private void delete(Context ctx) {
        String username = find(ctx.pathParam("username")).username();
        try {
            accounts.delete(username, CurrentUser.name(ctx));
            ctx.status(204);
        } catch (UserAccountException e) {
            throw ApiProblem.conflict("Conflict", e.getMessage());
        }
    }

    private AppUser find(String username) {
        return users.find(username)
                .orElseThrow(() ->
                        ApiProblem.notFound("Not Found", "The User with username `" + username + "` was not found"));
    }

    private static Map<String, Object> shape(AppUser user) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("username", user.username());
        item.put("email", user.email());
        item.put("first_name", "");
        item.put("last_name", "");
        item.put("active", user.active());
        item.put(
                "roles",
                List.of(Map.of(
                        "name",
                        user.role().substring(0, 1).toUpperCase(Locale.ROOT)
                                + user.role().substring(1))));
        item.put(
                "created_on", user.createdAt() == null ? null : user.createdAt().toString());
        item.put(
                "last_login", user.lastLogin() == null ? null : user.lastLogin().toString());
        return item;
    }
}
