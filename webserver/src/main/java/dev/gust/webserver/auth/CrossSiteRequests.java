package dev.gust.webserver.auth;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses what another site's page could make a browser send, whatever credentials the browser
 * attaches by itself (the session cookie, cached HTTP basic credentials): a state-changing request
 * (POST, PUT, PATCH, DELETE) whose {@code Origin} is not this server's own, or {@code null}, or
 * whose {@code Sec-Fetch-Site} says another site sent it; and any request with
 * {@code X-HTTP-Method-Override}, which Javalin would otherwise obey (a GET becoming a DELETE).
 * Browsers always send {@code Origin} with such methods, so clients without it (curl, scripts)
 * are not browsers and pass. Our own origin is the request's {@code Host} (the ALB passes it on
 * unchanged), over HTTPS when the request came over HTTPS.
 */
final class CrossSiteRequests {

    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private CrossSiteRequests() {}

    /** Why a request is refused: the answer's status, title and one-line detail. */
    record Refusal(int status, String title, String detail) {}

    /** Why the request is refused, or null when it may go on. */
    static Refusal refusal(Context ctx) {
        if (ctx.header(METHOD_OVERRIDE) != null) {
            return new Refusal(
                    400,
                    "Bad Request",
                    "X-HTTP-Method-Override is not supported; send the request with the method itself.");
        }
        if (!STATE_CHANGING.contains(ctx.req().getMethod().toUpperCase(Locale.ROOT))) {
            return null;
        }
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null
                && (fetchSite.equalsIgnoreCase("cross-site") || fetchSite.equalsIgnoreCase("same-site"))) {
            return forbidden(
                    "This request came from another site's page; Gust accepts changes only from its own pages or from API clients.");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(ctx, origin.strip())) {
            return forbidden("This request came from another origin (" + printable(origin)
                    + "); Gust accepts changes only from its own pages or from API clients.");
        }
        return null;
    }

    private static Refusal forbidden(String detail) {
        return new Refusal(403, "Forbidden", detail);
    }

    private static boolean sameOrigin(Context ctx, String origin) {
        String host = ctx.header("Host");
        if (host == null || origin.equals("null")) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawAuthority() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return false;
        }
        if (ClientRequest.overHttps(ctx) && !scheme.equals("https")) {
            return false;
        }
        // The browser leaves out the default port in both headers, so the two compare as written.
        return uri.getRawAuthority().equalsIgnoreCase(host.strip());
    }

    private static String printable(String text) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
