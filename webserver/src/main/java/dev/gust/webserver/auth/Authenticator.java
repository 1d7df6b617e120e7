package dev.gust.webserver.auth;

import dev.gust.core.store.events.Event;
import dev.gust.core.store.users.ApiTokenRepository;
import dev.gust.core.store.users.AppUser;
import dev.gust.core.store.users.UserIdentity;
import dev.gust.core.store.users.UserRepository;
import dev.gust.core.store.users.WebSessionRepository;
import dev.gust.core.users.Passwords;
import dev.gust.core.users.SecretTokens;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * Finds out who sent a request: {@code Authorization: Basic} (a Gust user's name and password),
 * {@code Authorization: Bearer} (an API token from {@code gust users token}), or the session
 * cookie of the web UI. Each is one indexed query; a basic-auth password is checked with bcrypt
 * only when {@link BasicAuthCache} has not seen it verified moments ago.
 */
final class Authenticator {

    /** How long a verified basic-auth password is trusted without bcrypt. */
    private static final Duration BASIC_AUTH_CACHE_TTL = Duration.ofSeconds(30);

    private final WebServices services;
    private final UserRepository users;
    private final ApiTokenRepository tokens;
    private final WebSessionRepository sessions;
    private final LoginLimiter limiter;
    private final BasicAuthCache basicCache = new BasicAuthCache(BASIC_AUTH_CACHE_TTL);

    Authenticator(WebServices services) {
        this.services = services;
        this.users = services.stores().users();
        this.tokens = services.stores().apiTokens();
        this.sessions = services.stores().webSessions();
        this.limiter = new LoginLimiter(
                services.stores().loginFailures(), services.config().webserver(), services.clock());
    }

    LoginLimiter limiter() {
        return limiter;
    }

    Authentication authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            String lower = authorization.toLowerCase(Locale.ROOT);
            if (lower.startsWith("basic ")) {
                return basic(ctx, authorization.substring(6).trim());
            }
            if (lower.startsWith("bearer ")) {
                return bearer(authorization.substring(7).trim());
            }
            return new Authentication.Refused(
                    "Unsupported Authorization scheme; use Basic (username and password) or Bearer (an API token).");
        }
        String sessionId = SessionCookie.read(ctx);
        if (sessionId == null) {
            return new Authentication.Anonymous(false);
        }
        return sessions.find(
                        SecretTokens.sha256(sessionId),
                        services.clock().instant(),
                        services.config().webserver().sessionIdleTimeout())
                .<Authentication>map(
                        live -> new Authentication.SignedIn(principal(live.user()), true, live.csrfToken()))
                .orElse(new Authentication.Anonymous(true));
    }

    private Authentication bearer(String token) {
        if (token.isEmpty()) {
            return new Authentication.Refused("The Bearer token is empty.");
        }
        return tokens.owner(SecretTokens.sha256(token), services.clock().instant())
                .<Authentication>map(owner -> new Authentication.SignedIn(principal(owner), false, null))
                .orElse(new Authentication.Refused(
                        "The API token is unknown, expired or revoked, or its user is inactive."));
    }

    private Authentication basic(Context ctx, String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Authentication.Refused("The Basic credentials are not valid base64.");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return new Authentication.Refused("The Basic credentials must be username:password.");
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        AppUser user = users.find(username).filter(AppUser::active).orElse(null);
        if (user != null && basicCache.isVerified(username, password, user.passwordHash())) {
            return new Authentication.SignedIn(principal(user.identity()), false, null);
        }
        String clientIp = ClientRequest.clientIp(ctx);
        if (limiter.isLimited(username, clientIp)) {
            return new Authentication.Limited(limiter.message());
        }
        if (!Passwords.verify(password, user == null ? null : user.passwordHash())) {
            limiter.failed(username, clientIp);
            services.stores()
                    .events()
                    .append(new Event("login_failed", null, null, null, username, "via=basic ip=" + clientIp));
            return new Authentication.Refused("Wrong username or password.");
        }
        basicCache.remember(username, password, user.passwordHash());
        return new Authentication.SignedIn(principal(user.identity()), false, null);
    }

    static Principal principal(UserIdentity identity) {
        return new Principal(identity.id(), identity.username(), Role.fromDbName(identity.role()));
    }
}
