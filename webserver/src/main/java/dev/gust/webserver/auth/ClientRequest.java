package dev.gust.webserver.auth;

import io.javalin.http.Context;

/**
 * What a trusted proxy (the ALB) tells us about the original request. Forwarding headers are
 * believed only when the connection comes from one of {@code webserver.trusted_proxies} (see
 * {@link TrustedProxies}): anyone else could write them, to pose as another address and escape the
 * login rate limit or to forge the audit log's IP. {@link WebSecurity} works both out once per
 * request ({@link #remember}); the rest of the server reads them from here.
 */
public final class ClientRequest {

    private static final String CLIENT_IP = "gust.client_ip";
    private static final String OVER_HTTPS = "gust.over_https";

    private ClientRequest() {}

    /** Works out the client's address and scheme for this request, believing only trusted proxies. */
    static void remember(Context ctx, TrustedProxies proxies) {
        String peer = ctx.req().getRemoteAddr();
        ctx.attribute(CLIENT_IP, proxies.client(peer, ctx.header("X-Forwarded-For")));
        String proto = proxies.trusts(peer) ? ctx.header("X-Forwarded-Proto") : null;
        boolean https = proto != null && !proto.isBlank()
                ? proto.split(",")[0].trim().equalsIgnoreCase("https")
                : "https".equalsIgnoreCase(ctx.scheme());
        ctx.attribute(OVER_HTTPS, https);
    }

    /** The client's address: from a trusted proxy's {@code X-Forwarded-For}, else the connection's peer. */
    public static String clientIp(Context ctx) {
        String ip = ctx.attribute(CLIENT_IP);
        return ip != null ? ip : ctx.req().getRemoteAddr();
    }

    /** Whether the browser's request came over HTTPS (to a trusted proxy or to this server). */
    public static boolean overHttps(Context ctx) {
        Boolean https = ctx.attribute(OVER_HTTPS);
        return https != null ? https : "https".equalsIgnoreCase(ctx.scheme());
    }

    /**
     * {@code next} when it is a path on this site, else "/": a login link must never send the
     * browser elsewhere ({@code //evil.example} and {@code /\evil.example} are other sites to a browser).
     */
    public static String localPath(String next) {
        if (next == null
                || next.isEmpty()
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == '\\')) {
            return "/";
        }
        return next;
    }
}
