package dev.gust.core.external.smtp;

import dev.gust.core.external.ConnectionExtra;
import dev.gust.core.store.connections.Connection;
import java.time.Duration;

/**
 * How to reach an SMTP server, read from a connection as Airflow's SMTP provider reads it: host,
 * port (465 with SSL, else 587), login and password, and in extra {@code disable_ssl} (SSL from
 * the first byte unless true), {@code disable_tls} (STARTTLS on a plain connection unless true),
 * {@code timeout} (seconds, 30), {@code retry_limit} (connection attempts after the first, 5),
 * {@code from_email} and {@code ssl_context} ({@code none} trusts any certificate). The older
 * {@code ssl} and {@code starttls} switches of Airflow's {@code [smtp]} section are read too.
 */
public record SmtpSettings(
        String connId,
        String host,
        int port,
        String login,
        String password,
        boolean ssl,
        boolean starttls,
        Duration timeout,
        int retryLimit,
        String fromEmail,
        boolean trustAnyCertificate) {

    public static final String DEFAULT_CONN_ID = "smtp_default";

    @Override
    public String toString() {
        return "SmtpSettings[" + connId + ", " + host + ":" + port + ", ssl=" + ssl + ", starttls=" + starttls + "]";
    }

    /**
     * @throws IllegalArgumentException with a one-line message naming the connection when it cannot
     *         describe an SMTP server
     */
    public static SmtpSettings of(Connection connection) {
        String connId = connection.connId();
        if (connection.host() == null || connection.host().isBlank()) {
            throw new IllegalArgumentException(
                    "connection '" + connId + "' has no host; set it to the SMTP server, such as smtp.example.com");
        }
        ConnectionExtra extra = ConnectionExtra.of(connection);
        boolean ssl = extra.bool("ssl").orElse(!extra.bool("disable_ssl", false));
        boolean starttls = !ssl && extra.bool("starttls").orElse(!extra.bool("disable_tls", false));
        double seconds = extra.number("timeout").orElse(30.0);
        if (seconds <= 0) {
            throw new IllegalArgumentException(
                    "'timeout' in the extra of connection '" + connId + "' must be a positive number of seconds");
        }
        int retries = extra.number("retry_limit").orElse(5.0).intValue();
        return new SmtpSettings(
                connId,
                connection.host().strip(),
                connection.port() != null ? connection.port() : ssl ? 465 : 587,
                blankToNull(connection.login()),
                connection.password(),
                ssl,
                starttls,
                Duration.ofMillis(Math.round(seconds * 1000)),
                Math.max(0, retries),
                extra.string("from_email").orElse(null),
                extra.string("ssl_context").map("none"::equalsIgnoreCase).orElse(false));
    }

    /** Where the server is, for messages: never credentials. */
    public String address() {
        return host + ":" + port + (ssl ? " (SSL)" : starttls ? " (STARTTLS)" : " (plain)");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
