package dev.gust.webserver.auth;

/**
 * The outcome of looking at a request's credentials: none, a signed-in principal (and whether by
 * the session cookie, which makes CSRF checks necessary), credentials that were wrong, or a
 * client that failed too often to be checked at all.
 */
sealed interface Authentication {

    record Anonymous(boolean staleSession) implements Authentication {}

    record SignedIn(Principal principal, boolean bySession, String csrfToken) implements Authentication {}

    record Refused(String detail) implements Authentication {}

    record Limited(String detail) implements Authentication {}
}
