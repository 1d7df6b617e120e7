package dev.gust.core.store;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The metadata database could not be reached. Its message is one line a user can act on: where
 * Gust tried to connect, why it failed, and what to check. Callers print the message; the cause
 * is kept for {@code --verbose}.
 */
public class DatabaseUnreachableException extends RuntimeException {

    private static final String WHAT_TO_CHECK =
            "check GUST_DATABASE__URL (database.url) and that PostgreSQL is running";

    DatabaseUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    static DatabaseUnreachableException of(String url, SQLException failure, int timeoutSeconds) {
        String where = hostAndPort(url);
        String reason = reason(failure, timeoutSeconds);
        String advice = isAuthentication(failure)
                ? "check the database username and password (GUST_DATABASE__USERNAME, GUST_DATABASE__PASSWORD)"
                : WHAT_TO_CHECK;
        return new DatabaseUnreachableException(
                "cannot reach the metadata database at " + where + " (" + reason + "); " + advice, failure);
    }

    private static String hostAndPort(String url) {
        Properties parsed = Driver.parseURL(url, null);
        if (parsed == null) {
            return url;
        }
        return parsed.getProperty("PGHOST", "localhost") + ":" + parsed.getProperty("PGPORT", "5432");
    }

    private static boolean isAuthentication(SQLException failure) {
        String state = failure.getSQLState();
        return "28P01".equals(state) || "28000".equals(state);
    }

    private static String reason(SQLException failure, int timeoutSeconds) {
        if ("3D000".equals(failure.getSQLState())) {
            return "the database does not exist";
        }
        if (isAuthentication(failure)) {
            return "authentication failed";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case ConnectException ignored -> {
                    return "connection refused";
                }
                case UnknownHostException ignored -> {
                    return "unknown host";
                }
                case NoRouteToHostException ignored -> {
                    return "no route to host";
                }
                case SocketTimeoutException ignored -> {
                    return "no answer within " + timeoutSeconds + "s";
                }
                default -> {}
            }
        }
        String message = failure.getMessage();
        return message == null
                ? failure.getClass().getSimpleName()
                : message.lines().findFirst().orElse("");
    }
}
