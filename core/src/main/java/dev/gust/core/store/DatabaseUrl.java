package dev.gust.core.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location as users write it, turned into what the JDBC driver wants. Accepts a JDBC
 * URL as is, and the {@code postgresql://user:password@host:port/db?params} form (also
 * {@code postgres://}) that Airflow, RDS consoles and secrets managers hand out, taking the user
 * and password out of it.
 */
public record DatabaseUrl(String jdbcUrl, String username, String password) {

    /**
     * @param url      the configured URL
     * @param username used when the URL names no user
     * @param password used when the URL holds no password
     * @throws IllegalArgumentException with a message that says which forms are accepted
     */
    public static DatabaseUrl parse(String url, String username, String password) {
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(trimmed, username, password);
        }
        if (!trimmed.startsWith("postgresql://") && !trimmed.startsWith("postgres://")) {
            throw new IllegalArgumentException("database URL '" + redacted(trimmed) + "' is not a PostgreSQL URL; "
                    + "write jdbc:postgresql://HOST:5432/DB or postgresql://USER:PASSWORD@HOST:5432/DB");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "database URL '" + redacted(trimmed) + "' is malformed: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("database URL '" + redacted(trimmed) + "' names no host");
        }
        String user = username;
        String pass = password;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) {
                pass = decode(parts[1]);
            }
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, user, pass);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String redacted(String url) {
        return url.replaceAll("(://[^:/@]+:)[^@/]+@", "$1****@");
    }
}
