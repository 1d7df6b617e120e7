package dev.gust.webserver.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.users.Passwords;
import dev.gust.core.users.UserAccountException;
import dev.gust.core.users.UserAccounts;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.CurrentUser;
import dev.gust.webserver.auth.Role;
import dev.gust.webserver.http.Problems;
import io.javalin.Javalin;
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
 */
public final class UsersApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UserAccounts accounts;
    private final UserRepository users;

    private UsersApi(WebServices services) {
        this.accounts = new UserAccounts(services.jdbc(), services.clock());
        this.users = new UserRepository(services.jdbc());
    }

    public static void register(Javalin app, WebServices services) {
        UsersApi api = new UsersApi(services);
        app.get("/api/v1/users", api::list, Role.ADMIN);
        app.get("/api/v1/users/{username}", api::get, Role.ADMIN);
        app.post("/api/v1/users", api::create, Role.ADMIN);
        app.delete("/api/v1/users/{username}", api::delete, Role.ADMIN);
    }

    private void list(Context ctx) {
        int limit = ctx.queryParamAsClass("limit", Integer.class).check(n -> n >= 0, "limit must be 0 or more").getOrDefault(100);
        int offset = ctx.queryParamAsClass("offset", Integer.class).check(n -> n >= 0, "offset must be 0 or more").getOrDefault(0);
        List<AppUser> all = users.list();
        List<Map<String, Object>> page = all.stream().skip(offset).limit(limit).map(UsersApi::shape).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("users", page);
        body.put("total_entries", all.size());
        ctx.json(body);
    }

    private void get(Context ctx) {
        String username = ctx.pathParam("username");
        users.find(username).ifPresentOrElse(user -> ctx.json(shape(user)),
                () -> Problems.problem(ctx, 404, "Not Found", "The User with username `" + username + "` was not found"));
    }

    private void create(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        if (body == null || !body.isObject()) {
            Problems.problem(ctx, 400, "Bad Request", "The request body must be a JSON object with username, password and roles.");
            return;
        }
        String username = body.path("username").asText("");
        String password = body.path("password").asText("");
        JsonNode roles = body.path("roles");
        String role = roles.isArray() && !roles.isEmpty() ? roles.get(0).path("name").asText("") : "viewer";
        try {
            Passwords.checkPolicy(password);
            AppUser user = accounts.create(username, role, body.path("email").asText(null), password, CurrentUser.name(ctx));
            ctx.status(200).json(shape(user));
        } catch (UserAccountException e) {
            int status = e.getMessage().contains("already exists") ? 409 : 400;
            Problems.problem(ctx, status, status == 409 ? "Conflict" : "Bad Request", e.getMessage());
        }
    }

    private void delete(Context ctx) {
        String username = ctx.pathParam("username");
        if (users.find(username).isEmpty()) {
            Problems.problem(ctx, 404, "Not Found", "The User with username `" + username + "` was not found");
            return;
        }
        try {
            accounts.delete(username, CurrentUser.name(ctx));
            ctx.status(204);
        } catch (UserAccountException e) {
            Problems.problem(ctx, 409, "Conflict", e.getMessage());
        }
    }

    private static Map<String, Object> shape(AppUser user) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("username", user.username());
        item.put("email", user.email());
        item.put("first_name", "");
        item.put("last_name", "");
        item.put("active", user.active());
        item.put("roles", List.of(Map.of("name", user.role().substring(0, 1).toUpperCase(Locale.ROOT) + user.role().substring(1))));
        item.put("created_on", user.createdAt() == null ? null : user.createdAt().toString());
        item.put("last_login", user.lastLogin() == null ? null : user.lastLogin().toString());
        return item;
    }
}
