package dev.gust.webserver.ui;

import dev.gust.webserver.auth.SessionCookie;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The one-line message an action leaves for the page it redirects to ("Marked 2 task instances
 * success."), as Airflow's flash messages: a short-lived HttpOnly cookie that the next full page
 * shows once and clears. Kept in the browser rather than in a process, as nothing of a web server
 * survives its restart; a live part's request (htmx) leaves it for the page.
 */
final class Flash {

    static final String COOKIE = "gust_flash";
    private static final int MAX_LENGTH = 600;

    private Flash() {}

    /** Leaves {@code message} for the next page this browser opens. */
    static void set(Context ctx, String message) {
        String text = message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH - 1) + "…" : message;
        SessionCookie.write(ctx, COOKIE, URLEncoder.encode(text, StandardCharsets.UTF_8), "/", 60, "Lax");
    }

    /** The message left for this page (null for none), cleared so that it shows once. */
    static String take(Context ctx) {
        if (ctx.header("HX-Request") != null) {
            return null;
        }
        String value = ctx.cookie(COOKIE);
        if (value == null || value.isBlank()) {
            return null;
        }
        SessionCookie.write(ctx, COOKIE, "", "/", 0, "Lax");
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
