package dev.gust.core.store.users;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code api_token} table. Only the SHA-256 of a token is stored (see {@code
 * dev.gust.core.users.SecretTokens}), so the table alone cannot be used to call the API.
 */
public final class ApiTokenRepository {

    /** {@code last_used_at} is refreshed at most this often, so that a busy token is not a write per request. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final Jdbc jdbc;

    public ApiTokenRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public long create(long userId, String name, String tokenHash, Instant expiresAt) {
        return jdbc.queryOne(
                        """
                INSERT INTO api_token (user_id, name, token_hash, expires_at)
                VALUES (:userId, :name, :tokenHash, :expiresAt)
                RETURNING id
                """,
                        Params.of("userId", userId)
                                .and("name", name)
                                .and("tokenHash", tokenHash)
                                .and("expiresAt", expiresAt),
                        row -> row.getLong(1))
                .orElseThrow();
    }

    /** The active user owning the unexpired token with this hash; one indexed lookup. */
    public Optional<UserIdentity> owner(String tokenHash, Instant now) {
        record Found(UserIdentity identity, long tokenId, Instant lastUsed) {}
        Optional<Found> found = jdbc.queryOne(
                """
                SELECT u.id, u.username, u.role, t.id AS token_id, t.last_used_at
                  FROM api_token t
                  JOIN app_user u ON u.id = t.user_id
                 WHERE t.token_hash = :tokenHash
                   AND (t.expires_at IS NULL OR t.expires_at > :now)
                   AND u.active
                """,
                Params.of("tokenHash", tokenHash).and("now", now),
                row -> new Found(
                        new UserIdentity(row.getLong("id"), row.getString("username"), row.getString("role")),
                        row.getLong("token_id"),
                        Jdbc.instant(row, "last_used_at")));
        found.filter(f -> f.lastUsed() == null || f.lastUsed().isBefore(now.minus(LAST_USED_PRECISION)))
                .ifPresent(f -> jdbc.update(
                        "UPDATE api_token SET last_used_at = :now WHERE id = :id",
                        Params.of("now", now).and("id", f.tokenId())));
        return found.map(Found::identity);
    }

    /** A user's tokens, newest first. */
    public List<ApiTokenInfo> listForUser(long userId) {
        return jdbc.query(
                """
                SELECT name, created_at, expires_at, last_used_at
                  FROM api_token
                 WHERE user_id = :userId
                 ORDER BY created_at DESC, id DESC
                """,
                Params.of("userId", userId),
                row -> new ApiTokenInfo(
                        row.getString("name"),
                        Jdbc.instant(row, "created_at"),
                        Jdbc.instant(row, "expires_at"),
                        Jdbc.instant(row, "last_used_at")));
    }

    /** Deletes a user's tokens with this name; returns how many. */
    public int deleteByName(long userId, String name) {
        return jdbc.update(
                "DELETE FROM api_token WHERE user_id = :userId AND name = :name",
                Params.of("userId", userId).and("name", name));
    }
}
