package dev.gust.webserver.auth;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.users.LoginFailureRepository;
import java.time.Clock;
import java.time.Instant;

/**
 * The login rate limit, counted in the database so that it holds across all webservers. Within
 * {@code webserver.login_failure_window}, further attempts are refused without checking the
 * password after too many failures for one username from one client address, from one client
 * address for any usernames, or for one username from all addresses together (a ceiling far
 * higher than the first, so that failures from one address cannot lock the real user out).
 */
final class LoginLimiter {

    private final LoginFailureRepository failures;
    private final GustConfig.Webserver settings;
    private final Clock clock;

    LoginLimiter(LoginFailureRepository failures, GustConfig.Webserver settings, Clock clock) {
        this.failures = failures;
        this.settings = settings;
        this.clock = clock;
    }

    boolean isLimited(String username, String clientIp) {
        LoginFailureRepository.Counts counts =
                failures.countSince(username, clientIp, clock.instant().minus(settings.loginFailureWindow()));
        return counts.byUserFromIp() >= settings.loginMaxFailuresPerUser()
                || counts.byUser() >= settings.loginMaxFailuresPerUserAllAddresses()
                || counts.byIp() >= settings.loginMaxFailuresPerIp();
    }

    void failed(String username, String clientIp) {
        failures.record(username, clientIp, clock.instant());
    }

    void succeeded(String username, String clientIp) {
        failures.clearUserFrom(username, clientIp);
        Instant now = clock.instant();
        failures.deleteBefore(now.minus(settings.loginFailureWindow()));
    }

    /** What the user reads when limited: what happened and when to try again. */
    String message() {
        return "Too many failed logins for this user or from this address; wait "
                + settings.loginFailureWindow().toMinutes() + " minutes and try again.";
    }
}
