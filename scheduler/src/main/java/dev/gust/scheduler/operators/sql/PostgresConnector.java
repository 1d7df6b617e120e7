package dev.gust.scheduler.operators.sql;

import dev.gust.core.external.postgres.PostgresJdbc;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Finds a task's Gust Connection of type {@code postgres} and opens it through core's
 * {@link PostgresJdbc} (the one place the fields become a JDBC URL and driver options).
 */
final class PostgresConnector {

    private static final Set<String> TYPES = Set.of("postgres", "postgresql");

    private PostgresConnector() {}

    static ConnectionDetails details(TaskRunContext context, String connId) {
        ConnectionDetails details = context.connection(connId)
                .orElseThrow(() -> new InvalidArgumentException(
                        "connection '" + connId + "' does not exist; create it with gust connections add " + connId
                                + " --conn-type postgres ..."));
        String type = details.connType() == null ? "" : details.connType().toLowerCase(java.util.Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new InvalidArgumentException("connection '" + connId + "' has type '" + details.connType()
                    + "'; the sql operator and sensor need a postgres connection");
        }
        if (details.host() == null || details.host().isBlank()) {
            throw new InvalidArgumentException("connection '" + connId + "' has no host");
        }
        return details;
    }

    static Connection open(ConnectionDetails details) throws SQLException {
        return PostgresJdbc.open(
                details.host(),
                details.port(),
                details.schema(),
                details.login(),
                details.password(),
                details.extra(),
                "gust-task");
    }
}
