package dev.gust.core.external.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens a JDBC connection from the fields of a Gust Connection of type {@code postgres}: host,
 * port (5432 when absent), schema as the database (Airflow's naming), login and password, and the
 * driver options Airflow users put in extra ({@code sslmode}, {@code sslrootcert},
 * {@code connect_timeout}, ...). Other extra keys are ignored rather than passed to the driver.
 */
public final class PostgresJdbc {

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

    private PostgresJdbc() {}

    public static Connection open(
            String host,
            Integer port,
            String database,
            String login,
            String password,
            Map<String, Object> extra,
            String applicationName)
            throws SQLException {
        String url = "jdbc:postgresql://" + host + ":" + (port == null ? 5432 : port) + "/"
                + (database == null ? "" : database);
        Properties properties = new Properties();
        if (login != null) {
            properties.setProperty("user", login);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", applicationName);
        extra.forEach((key, value) -> {
            String driverKey = EXTRA_TO_DRIVER.get(key);
            if (driverKey != null && value != null) {
                properties.setProperty(driverKey, value.toString());
            }
        });
        return DriverManager.getConnection(url, properties);
    }
}
