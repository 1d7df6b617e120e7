package dev.gust.webserver.users;

import dev.gust.core.users.Passwords;
import dev.gust.core.users.UserAccountException;
import dev.gust.core.users.UserAccounts;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.CurrentUser;
import dev.gust.webserver.auth.Role;
import dev.gust.webserver.ui.Pages;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The Users admin page (Admin only): list users, create one, change a role, reset a password,
 * deactivate or reactivate, delete. Every change goes through {@link UserAccounts} (the same rules
 * and audit events as {@code gust users ...}); a generated password is shown once on the page
 * that answers the form, never stored in plain text nor logged. Destructive forms need a ticked
 * confirmation box, checked here as well as by the browser; the signed-in admin's own account
 * cannot be demoted, deactivated or deleted from here (another admin must).
 */
public final class UsersPage {

    private final UserAccounts accounts;
    private final Pages pages;

    private UsersPage(WebServices services) {
        this.accounts = new UserAccounts(services.stores(), services.clock());
        this.pages = new Pages(services);
    }

    public static void register(Javalin app, WebServices services) {
        UsersPage page = new UsersPage(services);
        app.get("/users", ctx -> page.render(ctx, 200, null, null, null), Role.ADMIN);
        app.post("/users", page::create, Role.ADMIN);
        app.post("/users/{username}/role", page::changeRole, Role.ADMIN);
        app.post("/users/{username}/password", page::resetPassword, Role.ADMIN);
        app.post("/users/{username}/active", page::setActive, Role.ADMIN);
        app.post("/users/{username}/delete", page::delete, Role.ADMIN);
    }

    private void create(Context ctx) {
        act(ctx, () -> {
            String username = ctx.formParam("username");
            String password = blankToNull(ctx.formParam("password"));
            String used = password == null ? Passwords.generate() : password;
            accounts.create(
                    username == null ? "" : username.trim(),
                    ctx.formParam("role"),
                    ctx.formParam("email"),
                    used,
                    CurrentUser.name(ctx));
            return new Outcome("User " + username.trim() + " created.", password == null ? used : null);
        });
    }

    private void changeRole(Context ctx) {
        act(ctx, () -> {
            String username = ctx.pathParam("username");
            accounts.changeRole(username, ctx.formParam("role"), CurrentUser.name(ctx));
            return new Outcome(
                    "Role of " + username + " changed to " + UserAccounts.checkRole(ctx.formParam("role")) + ".", null);
        });
    }

    private void resetPassword(Context ctx) {
        act(ctx, () -> {
            String username = ctx.pathParam("username");
            String password = blankToNull(ctx.formParam("password"));
            String used = password == null ? Passwords.generate() : password;
            accounts.resetPassword(username, used, CurrentUser.name(ctx));
            return new Outcome(
                    "Password of " + username + " reset; their sessions have ended.", password == null ? used : null);
        });
    }

    private void setActive(Context ctx) {
        act(ctx, () -> {
            String username = ctx.pathParam("username");
            boolean active = "true".equals(ctx.formParam("active"));
            if (!active) {
                requireConfirmation(ctx);
            }
            accounts.setActive(username, active, CurrentUser.name(ctx));
            return new Outcome("User " + username + (active ? " reactivated." : " deactivated."), null);
        });
    }

    private void delete(Context ctx) {
        act(ctx, () -> {
            String username = ctx.pathParam("username");
            requireConfirmation(ctx);
            accounts.delete(username, CurrentUser.name(ctx));
            return new Outcome("User " + username + " deleted.", null);
        });
    }

    private static void requireConfirmation(Context ctx) {
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw new UserAccountException("tick the confirmation box to do this");
        }
    }

    private record Outcome(String message, String secret) {}

    private interface Action {
        Outcome run();
    }

    private void act(Context ctx, Action action) {
        try {
            Outcome outcome = action.run();
            render(ctx, 200, outcome.message(), outcome.secret(), null);
        } catch (UserAccountException e) {
            render(ctx, 400, null, null, capitalized(e.getMessage()) + ".");
        }
    }

    private void render(Context ctx, int status, String message, String secret, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("users", accounts.list());
        model.put("roles", UserAccounts.ROLES);
        model.put("message", message);
        model.put("secret", secret);
        model.put("error", error);
        model.put("minLength", Passwords.MIN_LENGTH);
        // The signed-in admin's own row offers no role change, deactivation or deletion (refused anyway).
        model.put("signedInAs", CurrentUser.name(ctx));
        // The UI's layout: navigation, the signed-in user, logout with CSRF, the import-error banner.
        ctx.status(status).html(pages.render(ctx, "users", model));
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
