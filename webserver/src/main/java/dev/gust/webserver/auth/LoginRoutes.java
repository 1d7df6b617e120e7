package dev.gust.webserver.auth;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.store.users.WebSessionRepository;
import dev.gust.core.users.Passwords;
import dev.gust.core.users.SecretTokens;
import dev.gust.webserver.WebServices;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET/POST /login} and {@code POST /logout}. A successful login makes a new session (a
 * new random id every time, so a session id planted before login is worthless), stored in the
 * database so that any webserver behind the ALB accepts it. The login form carries its own CSRF
 * token, paired with a short-lived cookie, so that another site cannot log a browser into an
 * account of its choosing.
 */
final class LoginRoutes {

    static final String LOGIN_CSRF_COOKIE = "gust_login_csrf";

    private final WebServices services;
    private final LoginLimiter limiter;
    private final PebbleTemplate template;
    private final GustConfig.Webserver settings;

    private LoginRoutes(WebServices services, LoginLimiter limiter) {
        this.services = services;
        this.limiter = limiter;
        this.template = services.templates().getTemplate("login");
        this.settings = services.config().webserver();
    }

    static void register(Javalin app, WebServices services, LoginLimiter limiter) {
        LoginRoutes routes = new LoginRoutes(services, limiter);
        app.get(
                "/login",
                ctx -> routes.form(ctx, 200, ClientRequest.localPath(ctx.queryParam("next")), null, ""),
                Role.PUBLIC);
        app.post("/login", routes::login, Role.PUBLIC);
        app.post("/logout", routes::logout, Role.VIEWER);
    }

    private void login(Context ctx) {
        String username = trimmed(ctx.formParam("username"));
        String password = ctx.formParam("password");
        String next = ClientRequest.localPath(ctx.formParam("next"));
        if (!SecretTokens.sameSecret(ctx.cookie(LOGIN_CSRF_COOKIE), ctx.formParam(Csrf.FORM_FIELD))) {
            form(ctx, 400, next, "The login form expired; sign in again.", username);
            return;
        }
        if (username.isEmpty() || password == null || password.isEmpty()) {
            form(ctx, 400, next, "Enter your username and password.", username);
            return;
        }
        String clientIp = ClientRequest.clientIp(ctx);
        EventLogRepository events = services.stores().events();
        if (limiter.isLimited(username, clientIp)) {
            // A flood of refused attempts is one audit row per user, address and window, with a count.
            events.appendCounted(
                    new Event("login_failed", null, null, null, username, "reason=rate_limited ip=" + clientIp),
                    settings.loginFailureWindow());
            ctx.header(
                    "Retry-After", String.valueOf(settings.loginFailureWindow().toSeconds()));
            form(ctx, 429, next, limiter.message(), username);
            return;
        }
        UserRepository users = services.stores().users();
        AppUser user = users.find(username).filter(AppUser::active).orElse(null);
        if (!Passwords.verify(password, user == null ? null : user.passwordHash())) {
            limiter.failed(username, clientIp);
            users.recordFailedLogin(username);
            events.append(
                    new Event("login_failed", null, null, null, username, "reason=bad_credentials ip=" + clientIp));
            form(ctx, 401, next, "Wrong username or password.", username);
            return;
        }
        limiter.succeeded(username, clientIp);
        Instant now = services.clock().instant();
        String sessionId = SecretTokens.random();
        WebSessionRepository sessions = services.stores().webSessions();
        sessions.create(
                SecretTokens.sha256(sessionId),
                user.id(),
                SecretTokens.random(),
                now,
                now.plus(settings.sessionMaxAge()));
        sessions.deleteExpired(now, settings.sessionIdleTimeout());
        users.recordLogin(user.id(), now);
        events.append(new Event("login", null, null, null, username, "ip=" + clientIp));
        SessionCookie.set(ctx, sessionId, settings.sessionMaxAge());
        SessionCookie.write(ctx, LOGIN_CSRF_COOKIE, "", "/login", 0, "Strict");
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        String sessionId = SessionCookie.read(ctx);
        if (sessionId != null) {
            services.stores().webSessions().delete(SecretTokens.sha256(sessionId));
        }
        services.stores().events().append(new Event("logout", null, null, null, CurrentUser.name(ctx), null));
        SessionCookie.clear(ctx);
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private void form(Context ctx, int status, String next, String error, String username) {
        String token = SecretTokens.random();
        SessionCookie.write(ctx, LOGIN_CSRF_COOKIE, token, "/login", 3600, "Strict");
        Map<String, Object> model = new HashMap<>();
        model.put("next", next);
        model.put("error", error);
        model.put("username", username);
        model.put("csrf", token);
        StringWriter html = new StringWriter();
        try {
            template.evaluate(html, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(status).html(html.toString());
    }

    private static String trimmed(String text) {
        return text == null ? "" : text.trim();
    }
}
