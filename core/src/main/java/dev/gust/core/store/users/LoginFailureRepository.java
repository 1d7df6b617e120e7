package dev.gust.core.store.users;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.time.Instant;

/**
 * The {@code login_failure} table: failed logins by username and client address, counted within
 * a window by every webserver alike, so that the login rate limit holds behind a load balancer.
 */
public final class LoginFailureRepository {

    private final Jdbc jdbc;

    public LoginFailureRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String username, String clientIp, Instant at) {
        jdbc.update(
                "INSERT INTO login_failure (username, client_ip, failed_at) VALUES (:username, :ip, :at)",
                Params.of("username", username).and("ip", clientIp).and("at", at));
    }

    /**
     * Failures since {@code since} in one round trip: for the username from this client address,
     * for the username from anywhere, and from this client address for any username.
     */
    public Counts countSince(String username, String clientIp, Instant since) {
        return jdbc.queryOne(
                        """
                SELECT count(*) FILTER (WHERE client_ip = :ip) AS by_user_from_ip, count(*) AS by_user,
                       (SELECT count(*) FROM login_failure WHERE client_ip = :ip AND failed_at > :since) AS by_ip
                FROM login_failure WHERE username = :username AND failed_at > :since
                """,
                        Params.of("username", username).and("ip", clientIp).and("since", since),
                        row -> new Counts(row.getInt("by_user_from_ip"), row.getInt("by_user"), row.getInt("by_ip")))
                .orElseThrow();
    }

    /**
     * Forgets a username's failures from the address it just logged in from; failures from other
     * addresses stay, so that a login of the real user does not reset an attacker's count.
     */
    public void clearUserFrom(String username, String clientIp) {
        jdbc.update(
                "DELETE FROM login_failure WHERE username = :username AND client_ip = :ip",
                Params.of("username", username).and("ip", clientIp));
    }

    /** Removes failures older than any window looks at. */
    public int deleteBefore(Instant before) {
        return jdbc.update("DELETE FROM login_failure WHERE failed_at < :before", Params.of("before", before));
    }

    public record Counts(int byUserFromIp, int byUser, int byIp) {}
}
