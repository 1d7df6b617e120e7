package dev.gust.webserver.auth;

import io.javalin.http.Context;

/**
 * The CSRF token of the request's session. Every state-changing form carries it as the hidden
 * field {@value #FORM_FIELD}; JavaScript sends it as the header {@value #HEADER}. Requests
 * authenticated by HTTP basic or an API token need none (no browser sends those by itself).
 */
public final class Csrf {

    public static final String FORM_FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";

    private Csrf() {
    }

    /** The token to put in forms for this request's session ("" until sessions exist). */
    public static String token(Context ctx) {
        // Filled in with the session work; until then there is nothing to check against.
        String token = ctx.attribute("gust.csrf");
        return token == null ? "" : token;
    }
}
