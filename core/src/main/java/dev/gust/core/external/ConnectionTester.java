package dev.gust.core.external;

import dev.gust.core.external.aws.AwsConnection;
import dev.gust.core.external.http.HttpBaseUrl;
import dev.gust.core.external.postgres.PostgresJdbc;
import dev.gust.core.external.slack.SlackWebhookConnection;
import dev.gust.core.external.smtp.SmtpException;
import dev.gust.core.external.smtp.SmtpMailer;
import dev.gust.core.external.smtp.SmtpSettings;
import dev.gust.core.store.connections.Connection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Tries a connection the way Airflow's hooks' {@code test_connection} do, behind
 * {@code gust connections test} and {@code POST /api/v1/connections/test}: {@code smtp} connects,
 * greets and logs in; {@code slackwebhook}/{@code slack} checks that the connection makes a
 * webhook URL and calls nothing (every call to a webhook posts a message); {@code http}/{@code https}
 * sends a GET to the base URL (any answer below 400 passes); {@code aws} asks STS who the
 * credentials are (GetCallerIdentity); {@code postgres} connects and runs {@code SELECT 1}.
 * Other types answer that Gust cannot test them. Never throws: the answer is a status and one line.
 */
public final class ConnectionTester {

    /** Airflow's {@code ConnectionTest} answer. */
    public record Result(boolean status, String message) {}

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private final SmtpMailer mailer = new SmtpMailer();

    public Result test(Connection connection) {
        String type = connection.connType() == null ? "" : connection.connType().toLowerCase(Locale.ROOT);
        try {
            return switch (type) {
                case "smtp" -> smtp(connection);
                case "slackwebhook", "slack" -> slackWebhook(connection);
                case "http", "https" -> http(connection);
                case "aws" -> aws(connection);
                case "postgres", "postgresql" -> postgres(connection);
                default ->
                    new Result(
                            false,
                            "Gust cannot test connections of type '" + connection.connType()
                                    + "'; it tests smtp, slackwebhook, slack, http, https, aws and postgres");
            };
        } catch (IllegalArgumentException e) {
            return new Result(false, e.getMessage());
        }
    }

    private Result smtp(Connection connection) {
        SmtpSettings settings = SmtpSettings.of(connection);
        try {
            String answer = mailer.check(settings);
            return new Result(
                    true,
                    "Connection successfully tested: the SMTP server " + settings.address() + " answered"
                            + (settings.login() != null ? " and accepted the login" : "")
                            + (answer.isEmpty() ? "" : " (" + answer + ")"));
        } catch (SmtpException e) {
            return new Result(false, e.getMessage());
        }
    }

    private static Result slackWebhook(Connection connection) {
        SlackWebhookConnection webhook = SlackWebhookConnection.of(connection);
        return new Result(
                true,
                "Connection successfully tested: it makes the webhook URL " + webhook.safeAddress()
                        + "; the webhook itself is not called, since every call posts a message");
    }

    private static Result http(Connection connection) {
        String base = HttpBaseUrl.of(connection.connId(), connection.host(), connection.schema(), connection.port());
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            return new Result(
                    false, "connection '" + connection.connId() + "' does not make a valid URL; check its host");
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET();
        if (connection.login() != null && !connection.login().isEmpty()) {
            String credentials =
                    connection.login() + ":" + (connection.password() == null ? "" : connection.password());
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        ConnectionExtra.of(connection); // a broken extra fails here as it would in a task
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(HTTP_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            boolean ok = response.statusCode() < 400;
            return new Result(
                    ok,
                    (ok ? "Connection successfully tested: " : "")
                            + "GET " + uri + " answered " + response.statusCode()
                            + (ok
                                    ? ""
                                    : "; check the host, schema, port and credentials of connection '"
                                            + connection.connId() + "'"));
        } catch (IOException e) {
            return new Result(
                    false,
                    "GET " + uri + " failed: " + describe(e) + "; check the host, schema and port of connection '"
                            + connection.connId() + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "the test was interrupted");
        }
    }

    private static Result aws(Connection connection) {
        AwsConnection aws = AwsConnection.of(connection);
        try (StsClient sts = aws.configure(StsClient.builder(), "sts", null).build()) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            return new Result(
                    true,
                    "Connection successfully tested: UserId='" + identity.userId() + "', Account='" + identity.account()
                            + "', Arn='" + identity.arn() + "'");
        } catch (SdkException e) {
            return new Result(
                    false,
                    "STS GetCallerIdentity with connection '" + connection.connId() + "' failed: "
                            + describe(e)
                            + "; check its keys, region_name and endpoint_url");
        }
    }

    private static Result postgres(Connection connection) {
        if (connection.host() == null || connection.host().isBlank()) {
            return new Result(
                    false, "connection '" + connection.connId() + "' has no host; set it to the database server");
        }
        Map<String, Object> extra = extraMap(connection);
        try (java.sql.Connection jdbc = PostgresJdbc.open(
                        connection.host(),
                        connection.port(),
                        connection.schema(),
                        connection.login(),
                        connection.password(),
                        extra,
                        "gust-connection-test");
                Statement statement = jdbc.createStatement();
                ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
            return new Result(true, "Connection successfully tested");
        } catch (SQLException e) {
            return new Result(
                    false,
                    "connecting with connection '" + connection.connId() + "' failed: " + describe(e)
                            + "; check its host, port, schema (the database), login and password");
        }
    }

    private static Map<String, Object> extraMap(Connection connection) {
        ConnectionExtra extra = ConnectionExtra.of(connection);
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        for (String key : new String[] {
            "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name", "options"
        }) {
            extra.raw(key).ifPresent(value -> options.put(key, value));
        }
        options.putIfAbsent("connect_timeout", 10);
        return options;
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
