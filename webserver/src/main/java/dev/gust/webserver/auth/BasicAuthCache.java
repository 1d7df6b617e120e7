package dev.gust.webserver.auth;

import dev.gust.core.users.SecretTokens;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for a short time, that a username and password matched a stored bcrypt hash, so
 * that API clients using HTTP basic do not pay bcrypt (tens of milliseconds by design) on every
 * request. The key holds a SHA-256 of the password (never the password) and the stored hash, so a
 * password change misses the cache at once; deactivation and deletion are seen because the user
 * row is still read on every request.
 */
final class BasicAuthCache {

    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<String, Long> verifiedUntil = new ConcurrentHashMap<>();
    private final long ttlNanos;

    BasicAuthCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    boolean isVerified(String username, String password, String storedHash) {
        Long until = verifiedUntil.get(key(username, password, storedHash));
        return until != null && until - System.nanoTime() > 0;
    }

    void remember(String username, String password, String storedHash) {
        if (verifiedUntil.size() >= MAX_ENTRIES) {
            // Crude but bounded: a flood of distinct credentials cannot grow memory without end.
            verifiedUntil.clear();
        }
        verifiedUntil.put(key(username, password, storedHash), System.nanoTime() + ttlNanos);
    }

    private static String key(String username, String password, String storedHash) {
        return username + '\u0000' + SecretTokens.sha256(password) + '\u0000' + storedHash;
    }
}
