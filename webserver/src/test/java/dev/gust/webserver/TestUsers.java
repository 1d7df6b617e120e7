package dev.gust.webserver;

import dev.gust.core.store.Jdbc;
import dev.gust.core.users.UserAccounts;
import java.time.Clock;

/** Users for web tests, made as {@code gust users create} makes them. */
public final class TestUsers {

    public static final String PASSWORD = "test-password-1";

    private TestUsers() {}

    /** Creates {@code username} with {@code role} and {@link #PASSWORD}. */
    public static void create(Jdbc jdbc, String username, String role) {
        new UserAccounts(jdbc, Clock.systemUTC()).create(username, role, null, PASSWORD, "test");
    }

    /** The basic-auth header value of a user made by {@link #create}. */
    public static String basic(String username) {
        return WebClient.basic(username, PASSWORD);
    }
}
