package dev.gust.bench.web;

import dev.gust.core.users.UserAccounts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The viewer the web benchmarks sign in as, in their throwaway database: every page and API call
 * needs a user, so measured requests pay for the credential check as real ones do. HTTP basic is
 * checked with bcrypt once and then trusted for a short while, like a session lookup per request.
 */
public final class BenchUser {

    public static final String AUTHORIZATION = "Authorization";
    private static final String NAME = "bench";
    private static final String PASSWORD = "bench-password";

    private BenchUser() {}

    public static void create(UserAccounts accounts, String actor) {
        accounts.create(NAME, "viewer", null, PASSWORD, actor);
    }

    /** The {@code Authorization} header value. */
    public static String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((NAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
