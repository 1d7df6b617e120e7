package dev.gust.webserver.auth;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * The session cookie: only the random session id, HttpOnly (no script reads it), SameSite=Lax
 * (not sent with cross-site form posts), and Secure whenever the browser talks HTTPS to the ALB.
 */
public final class SessionCookie {

    public static final String NAME = "gust_session";

    private SessionCookie() {}

    public static String read(Context ctx) {
        String value = ctx.cookie(NAME);
        return value == null || value.isBlank() ? null : value;
    }

    public static void set(Context ctx, String sessionId, Duration maxAge) {
        write(ctx, NAME, sessionId, "/", maxAge.toSeconds(), "Lax");
    }

    public static void clear(Context ctx) {
        write(ctx, NAME, "", "/", 0, "Lax");
    }

    /** Writes one cookie with Gust's flags; also used for the login form's CSRF cookie and the UI's flash message. */
    public static void write(Context ctx, String name, String value, String path, long maxAgeSeconds, String sameSite) {
        StringBuilder header = new StringBuilder()
                .append(name)
                .append('=')
                .append(value)
                .append("; Path=")
                .append(path)
                .append("; Max-Age=")
                .append(maxAgeSeconds)
                .append("; HttpOnly; SameSite=")
                .append(sameSite);
        if (ClientRequest.overHttps(ctx)) {
            header.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", header.toString());
    }
}
