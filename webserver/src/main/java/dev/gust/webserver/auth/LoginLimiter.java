package dev.gust.webserver.auth;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.users.LoginFailureRepository;
import java.time.Clock;
import java.time.Instant;

/**
 * The login rate limit: too many failed logins for one username, or from one client address,
 * within {@code webserver.login_failure_window} and further attempts are refused without
 * checking the password. Counted in the database, so the limit holds across all webservers.
 */
final class LoginLimiter {

    private final LoginFailureRepository failures;
    private final GustConfig.Webserver settings;
    private final Clock clock;

    LoginLimiter(Jdbc jdbc, GustConfig.Webserver settings, Clock clock) {
        this.failures = new LoginFailureRepository(jdbc);
        this.settings = settings;
        this.clock = clock;
    }

    boolean isLimited(String username, String clientIp) {
        LoginFailureRepository.Counts counts = failures.countSince(username, clientIp,
                clock.instant().minus(settings.loginFailureWindow()));
        return counts.byUser() >= settings.loginMaxFailuresPerUser() || counts.byIp() >= settings.loginMaxFailuresPerIp();
    }

    void failed(String username, String clientIp) {
        failures.record(username, clientIp, clock.instant());
    }

    void succeeded(String username) {
        failures.clearUser(username);
        Instant now = clock.instant();
        failures.deleteBefore(now.minus(settings.loginFailureWindow()));
    }

    /** What the user reads when limited: what happened and when to try again. */
    String message() {
        return "Too many failed logins for this user or from this address; wait "
                + settings.loginFailureWindow().toMinutes() + " minutes and try again.";
    }
}
