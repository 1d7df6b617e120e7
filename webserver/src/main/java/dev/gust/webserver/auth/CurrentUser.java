package dev.gust.webserver.auth;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The principal of the request being handled, put there by the authentication filter before
 * any non-public handler runs. Handlers use it for "who" in the audit log.
 */
public final class CurrentUser {

    private static final String ATTRIBUTE = "gust.principal";

    private CurrentUser() {}

    public static void set(Context ctx, Principal principal) {
        ctx.attribute(ATTRIBUTE, principal);
    }

    /** The principal; present on every route that is not {@link Role#PUBLIC}. */
    public static Optional<Principal> of(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** The username for the audit log ("anonymous" on public routes). */
    public static String name(Context ctx) {
        return of(ctx).map(Principal::username).orElse("anonymous");
    }
}
