package dev.gust.webserver.auth;

import dev.gust.webserver.WebServices;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ForbiddenResponse;

/**
 * Authentication and authorization for every route. PLACEHOLDER until the login work lands:
 * every non-public request is treated as a built-in admin. The real version authenticates the
 * session cookie, HTTP basic or an API token, checks the route's {@link Role}, checks CSRF on
 * state-changing requests and sets the security headers.
 */
public final class WebSecurity {

    private WebSecurity() {
    }

    /** Called while the Javalin config is built (before routes exist). */
    public static void configure(JavalinConfig config, WebServices services) {
    }

    /** Called once the app exists, before the routes are added. */
    public static void install(Javalin app, WebServices services) {
        app.beforeMatched(ctx -> {
            if (ctx.routeRoles().isEmpty()) {
                // A route without a role is a programming error; refuse rather than expose it.
                throw new ForbiddenResponse("route declares no role");
            }
            if (!ctx.routeRoles().contains(Role.PUBLIC)) {
                CurrentUser.set(ctx, new Principal(0, "admin", Role.ADMIN));
            }
        });
    }
}
