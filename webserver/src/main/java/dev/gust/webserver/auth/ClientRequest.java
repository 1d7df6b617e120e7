package dev.gust.webserver.auth;

import io.javalin.http.Context;

/**
 * What the ALB tells us about the original request. The ALB appends the address it saw to
 * {@code X-Forwarded-For}, so the last entry is the one nobody but the ALB wrote (earlier ones
 * come from the client and may be forged); {@code X-Forwarded-Proto} says whether the browser
 * used HTTPS, which the webserver itself never sees.
 */
public final class ClientRequest {

    private ClientRequest() {
    }

    /** The client's address: the last {@code X-Forwarded-For} entry, else the connection's peer. */
    public static String clientIp(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty()) {
                return last;
            }
        }
        return ctx.ip();
    }

    /** Whether the browser's request came over HTTPS (to the ALB or to this server). */
    public static boolean overHttps(Context ctx) {
        String proto = ctx.header("X-Forwarded-Proto");
        if (proto != null && !proto.isBlank()) {
            return proto.split(",")[0].trim().equalsIgnoreCase("https");
        }
        return "https".equalsIgnoreCase(ctx.scheme());
    }

    /**
     * {@code next} when it is a path on this site, else "/": a login link must never send the
     * browser elsewhere ({@code //evil.example} and {@code /\evil.example} are other sites to a browser).
     */
    public static String localPath(String next) {
        if (next == null || next.isEmpty() || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            return "/";
        }
        return next;
    }
}
