package dev.gust.core.store.users;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code web_session} table: sessions of the web UI, shared by every webserver behind the
 * ALB. Rows are keyed by the SHA-256 of the session id; the id itself only lives in the cookie.
 */
public final class WebSessionRepository {

    /** {@code last_seen_at} is refreshed at most this often: idle expiry is this precise, and reads stay reads. */
    private static final Duration LAST_SEEN_PRECISION = Duration.ofMinutes(1);

    private final Jdbc jdbc;

    public WebSessionRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void create(String idHash, long userId, String csrfToken, Instant now, Instant expiresAt) {
        jdbc.update(
                """
                INSERT INTO web_session (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
                VALUES (:idHash, :userId, :csrf, :now, :now, :expiresAt)
                """,
                Params.of("idHash", idHash)
                        .and("userId", userId)
                        .and("csrf", csrfToken)
                        .and("now", now)
                        .and("expiresAt", expiresAt));
    }

    /**
     * The live session with this hash and its active user: not past its absolute expiry and used
     * within {@code idleTimeout}. One indexed lookup; the last-seen time is written only when it is
     * more than a minute old.
     */
    public Optional<LiveSession> find(String idHash, Instant now, Duration idleTimeout) {
        record Found(LiveSession session, Instant lastSeen) {}
        Optional<Found> found = jdbc.queryOne(
                """
                SELECT u.id, u.username, u.role, s.csrf_token, s.last_seen_at
                  FROM web_session s
                  JOIN app_user u ON u.id = s.user_id
                 WHERE s.id_hash = :idHash
                   AND s.expires_at > :now
                   AND s.last_seen_at > :idleCutoff
                   AND u.active
                """,
                Params.of("idHash", idHash).and("now", now).and("idleCutoff", now.minus(idleTimeout)),
                row -> new Found(
                        new LiveSession(
                                new UserIdentity(row.getLong("id"), row.getString("username"), row.getString("role")),
                                row.getString("csrf_token")),
                        Jdbc.instant(row, "last_seen_at")));
        found.filter(f -> f.lastSeen().isBefore(now.minus(LAST_SEEN_PRECISION)))
                .ifPresent(f -> jdbc.update(
                        "UPDATE web_session SET last_seen_at = :now WHERE id_hash = :idHash",
                        Params.of("now", now).and("idHash", idHash)));
        return found.map(Found::session);
    }

    public boolean delete(String idHash) {
        return jdbc.update("DELETE FROM web_session WHERE id_hash = :idHash", Params.of("idHash", idHash)) > 0;
    }

    /** Ends every session of a user (password reset, role change, deactivation). */
    public int deleteForUser(long userId) {
        return jdbc.update("DELETE FROM web_session WHERE user_id = :userId", Params.of("userId", userId));
    }

    /** Removes sessions that can no longer be used, so that the table does not grow forever. */
    public int deleteExpired(Instant now, Duration idleTimeout) {
        return jdbc.update(
                "DELETE FROM web_session WHERE expires_at <= :now OR last_seen_at <= :idleCutoff",
                Params.of("now", now).and("idleCutoff", now.minus(idleTimeout)));
    }

    /** A session that may be used: whose it is and the CSRF token its forms must carry. */
    public record LiveSession(UserIdentity user, String csrfToken) {}
}
