package dev.gust.webserver.auth;

/** Who made a request: the signed-in user (session, basic auth or API token) and their role. */
public record Principal(long userId, String username, Role role) {}
