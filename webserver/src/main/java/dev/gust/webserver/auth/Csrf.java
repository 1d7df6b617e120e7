package dev.gust.webserver.auth;

import dev.gust.core.users.SecretTokens;
import io.javalin.http.Context;

/**
 * The CSRF token of the request's session. Every state-changing form carries it as the hidden
 * field {@value #FORM_FIELD}; JavaScript sends it as the header {@value #HEADER}. {@link
 * WebSecurity} refuses POST, PUT, PATCH and DELETE requests authenticated by the session cookie
 * without the right token. Requests authenticated by HTTP basic or an API token need none (no
 * browser attaches those to a forged request by itself).
 */
public final class Csrf {

    public static final String FORM_FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";
    static final String ATTRIBUTE = "gust.csrf";

    private Csrf() {}

    /** The token to put in forms for this request's session ("" for requests without a session). */
    public static String token(Context ctx) {
        String token = ctx.attribute(ATTRIBUTE);
        return token == null ? "" : token;
    }

    static void set(Context ctx, String token) {
        ctx.attribute(ATTRIBUTE, token);
    }

    /** Whether the request carries {@code expected} in the header or the form field. */
    static boolean carries(Context ctx, String expected) {
        String sent = ctx.header(HEADER);
        if (sent == null || sent.isEmpty()) {
            sent = ctx.formParam(FORM_FIELD);
        }
        return SecretTokens.sameSecret(sent, expected);
    }
}
