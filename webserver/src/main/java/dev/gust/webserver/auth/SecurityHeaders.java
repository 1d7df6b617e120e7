package dev.gust.webserver.auth;

import io.javalin.http.Context;

/**
 * The headers every response carries. Scripts only from Gust's own files (no inline script, so
 * an injected {@code <script>} does not run even if escaping failed somewhere); inline styles
 * are allowed because state colours are set per cell and carry no code. No framing (clickjacking),
 * no MIME sniffing, no full URLs in Referer to other sites, HSTS once the browser came over HTTPS.
 */
public final class SecurityHeaders {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        if (ClientRequest.overHttps(ctx)) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
