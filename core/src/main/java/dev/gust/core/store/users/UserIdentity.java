package dev.gust.core.store.users;

/** Who a session or an API token belongs to: the user's id, name and role (as stored). */
public record UserIdentity(long id, String username, String role) {}
