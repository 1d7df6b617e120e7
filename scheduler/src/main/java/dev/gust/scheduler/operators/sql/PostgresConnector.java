package dev.gust.scheduler.operators.sql;

import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Opens a JDBC connection from a Gust Connection of type {@code postgres}: host, port (5432
 * when absent), schema as the database (Airflow's naming), login and password, and the
 * driver options Airflow users put in extra ({@code sslmode}, {@code sslrootcert},
 * {@code connect_timeout}, ...). Other extra keys are ignored rather than passed to the driver.
 */
final class PostgresConnector {

    private static final Set<String> TYPES = Set.of("postgres", "postgresql");
    private static final Map<String, String> EXTRA_TO_DRIVER = Map.of(
            "sslmode",
            "sslmode",
            "sslrootcert",
            "sslrootcert",
            "sslcert",
            "sslcert",
            "sslkey",
            "sslkey",
            "connect_timeout",
            "connectTimeout",
            "application_name",
            "ApplicationName",
            "options",
            "options");

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
        String url = "jdbc:postgresql://" + details.host() + ":" + (details.port() == null ? 5432 : details.port())
                + "/" + (details.schema() == null ? "" : details.schema());
        Properties properties = new Properties();
        if (details.login() != null) {
            properties.setProperty("user", details.login());
        }
        if (details.password() != null) {
            properties.setProperty("password", details.password());
        }
        properties.setProperty("ApplicationName", "gust-task");
        details.extra().forEach((key, value) -> {
            String driverKey = EXTRA_TO_DRIVER.get(key);
            if (driverKey != null && value != null) {
                properties.setProperty(driverKey, value.toString());
            }
        });
        return DriverManager.getConnection(url, properties);
    }
}
