package dev.gust.webserver.auth;

import dev.gust.webserver.WebServices;
import dev.gust.webserver.http.Problems;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Authentication and authorization for every route. Each request to a route that is not
 * {@link Role#PUBLIC} must come from a signed-in principal (session cookie, HTTP basic or API
 * token, see {@link Authenticator}) whose role includes the route's; state-changing requests on a
 * session must carry its CSRF token, and no state-changing request may come from another site's
 * page whatever its credentials ({@link CrossSiteRequests}). Anonymous page requests are sent to
 * the login page, anonymous API requests get 401, with a {@code WWW-Authenticate: Basic} challenge
 * only for clients that are not browsers; a role too low gets 403. Every response gets {@link
 * SecurityHeaders}. The login and logout routes are registered here too.
 */
public final class WebSecurity {

    private WebSecurity() {}

    /** Called while the Javalin config is built (before routes exist). */
    public static void configure(JavalinConfig config, WebServices services) {
        // Jetty would announce its version in a Server header; nobody needs to know it.
        config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
    }

    /** Called once the app exists, before the routes are added. */
    public static void install(Javalin app, WebServices services) {
        Authenticator authenticator = new Authenticator(services);
        TrustedProxies proxies = TrustedProxies.of(services.config().webserver().trustedProxies());
        app.before(ctx -> ClientRequest.remember(ctx, proxies));
        app.before(SecurityHeaders::apply);
        app.before(ctx -> {
            CrossSiteRequests.Refusal refusal = CrossSiteRequests.refusal(ctx);
            if (refusal != null) {
                deny(ctx, refusal.status(), refusal.title(), refusal.detail());
            }
        });
        app.beforeMatched(ctx -> guard(ctx, authenticator));
        LoginRoutes.register(app, services, authenticator.limiter());
    }

    private static void guard(Context ctx, Authenticator authenticator) {
        Role needed = needed(ctx.routeRoles());
        if (needed == null) {
            // A route without a role is a programming error; refuse rather than expose it.
            deny(ctx, 403, "Forbidden", "This route declares no role, so nobody may use it.");
            return;
        }
        if (needed == Role.PUBLIC) {
            return;
        }
        switch (authenticator.authenticate(ctx)) {
            case Authentication.SignedIn signedIn -> {
                if (!signedIn.principal().role().includes(needed)) {
                    // the refusal page keeps the signed-in user's nav (name, log out)
                    CurrentUser.set(ctx, signedIn.principal());
                    if (signedIn.csrfToken() != null) {
                        Csrf.set(ctx, signedIn.csrfToken());
                    }
                    ctx.header("Cache-Control", "no-store");
                    deny(
                            ctx,
                            403,
                            "Forbidden",
                            "Your role (" + signedIn.principal().role().dbName() + ") may not do this; it needs "
                                    + needed.dbName() + " or above.");
                    return;
                }
                if (signedIn.bySession() && changesState(ctx) && !Csrf.carries(ctx, signedIn.csrfToken())) {
                    deny(ctx, 403, "Forbidden", "The CSRF token is missing or wrong; reload the page and try again.");
                    return;
                }
                CurrentUser.set(ctx, signedIn.principal());
                if (signedIn.csrfToken() != null) {
                    Csrf.set(ctx, signedIn.csrfToken());
                }
                // Pages and API answers of a signed-in user are theirs alone: no shared cache keeps them.
                ctx.header("Cache-Control", "no-store");
            }
            case Authentication.Limited limited -> {
                ctx.header("Retry-After", "60");
                deny(ctx, 429, "Too Many Requests", limited.detail());
            }
            case Authentication.Refused refused -> unauthorized(ctx, refused.detail(), false);
            case Authentication.Anonymous anonymous -> {
                if (anonymous.staleSession()) {
                    SessionCookie.clear(ctx);
                }
                unauthorized(
                        ctx,
                        anonymous.staleSession()
                                ? "Your session has expired; sign in again."
                                : "Sign in, or send HTTP basic credentials or an API token.",
                        true);
            }
        }
    }

    /** The most a route asks for (routes declare one role; a set with several asks for the highest). */
    private static Role needed(Set<RouteRole> roles) {
        Role needed = null;
        for (RouteRole role : roles) {
            if (role instanceof Role gustRole && (needed == null || gustRole.compareTo(needed) > 0)) {
                needed = gustRole;
            }
        }
        return needed;
    }

    private static boolean changesState(Context ctx) {
        HandlerType method = ctx.method();
        return method == HandlerType.POST
                || method == HandlerType.PUT
                || method == HandlerType.PATCH
                || method == HandlerType.DELETE;
    }

    private static void unauthorized(Context ctx, String detail, boolean mayRedirect) {
        if (Problems.isApi(ctx)) {
            // A Basic challenge makes a browser prompt and then attach the credentials to every later
            // request to this host, a forged one included; browsers get a challenge they never prompt for.
            ctx.header(
                    "WWW-Authenticate",
                    fromBrowser(ctx) ? "Bearer realm=\"Gust\"" : "Basic realm=\"Gust\", charset=\"UTF-8\"");
            deny(ctx, 401, "Unauthorized", detail);
            return;
        }
        if (mayRedirect && ctx.method() == HandlerType.GET) {
            String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            ctx.skipRemainingHandlers();
            return;
        }
        deny(ctx, 401, "Unauthorized", detail);
    }

    /**
     * Whether a browser sent the request: browsers send {@code Sec-Fetch-Mode} with every request
     * (older ones at least {@code Accept: text/html} when navigating); scripts ask for JSON.
     */
    private static boolean fromBrowser(Context ctx) {
        String accept = ctx.header("Accept");
        return ctx.header("Sec-Fetch-Mode") != null
                || ctx.header("X-Requested-With") != null
                || (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html"));
    }

    private static void deny(Context ctx, int status, String title, String detail) {
        Problems.respond(ctx, status, title, detail);
        ctx.skipRemainingHandlers();
    }
}
