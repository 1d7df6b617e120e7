package dev.gust.core.external.slack;

import dev.gust.core.external.ConnectionExtra;
import dev.gust.core.store.connections.Connection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A Slack incoming webhook read from a connection the way Airflow's SlackWebhookHook reads it:
 * the password ("Webhook Token") is either the whole URL or its path
 * ({@code T000/B000/XXX}), which is then joined to the host ("Slack Webhook Endpoint",
 * {@code hooks.slack.com/services} when empty) and the schema field ({@code https} when empty);
 * a host that holds a scheme wins over the schema field. Extra: {@code timeout} (seconds) and
 * {@code proxy} (a URL). Connection types {@code slackwebhook} and, for older set-ups,
 * {@code slack}, {@code http} and {@code https} are read alike.
 */
public record SlackWebhookConnection(String connId, URI url, Duration timeout, Optional<URI> proxy) {

    public static final String DEFAULT_CONN_ID = "slack_default";
    static final String DEFAULT_ENDPOINT = "hooks.slack.com/services";
    private static final Set<String> TYPES = Set.of("slackwebhook", "slack", "http", "https");

    @Override
    public String toString() {
        return "SlackWebhookConnection[" + connId + ", " + safeAddress() + "]";
    }

    /**
     * @throws IllegalArgumentException with a one-line message naming the connection when it does
     *         not hold a webhook
     */
    public static SlackWebhookConnection of(Connection connection) {
        String connId = connection.connId();
        String type = connection.connType() == null ? "" : connection.connType().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(
                    "connection '" + connId + "' has type '" + connection.connType()
                            + "'; a Slack incoming webhook needs a slackwebhook connection (slackwebhook://:T000%2FB000%2FXXX@)");
        }
        String token =
                connection.password() == null ? "" : connection.password().strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("connection '" + connId
                    + "' has no webhook token; set its password to the webhook URL or its T000/B000/XXX path");
        }
        if (token.startsWith("xox")) {
            throw new IllegalArgumentException("connection '" + connId
                    + "' holds a Slack API token, not an incoming webhook; set its password to the webhook URL");
        }
        String url;
        if (token.startsWith("http://") || token.startsWith("https://")) {
            url = token;
        } else {
            String host = connection.host() == null || connection.host().isBlank()
                    ? DEFAULT_ENDPOINT
                    : connection.host().strip();
            if (!host.contains("://")) {
                String scheme =
                        connection.schema() == null || connection.schema().isBlank()
                                ? "https"
                                : connection.schema().strip();
                host = scheme + "://" + host;
            }
            url = host.replaceAll("/+$", "") + "/" + token.replaceAll("^/+", "");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "connection '" + connId + "' does not make a valid webhook URL; check its host and password");
        }
        if (uri.getHost() == null || !Set.of("http", "https").contains(String.valueOf(uri.getScheme()))) {
            throw new IllegalArgumentException("connection '" + connId
                    + "' does not make an http(s) webhook URL; check its host, schema and password");
        }
        ConnectionExtra extra = ConnectionExtra.of(connection);
        Duration timeout = Duration.ofMillis(
                Math.round(extra.number("timeout").filter(t -> t > 0).orElse(30.0) * 1000));
        Optional<URI> proxy = extra.string("proxy").map(p -> {
            URI parsed = URI.create(p.contains("://") ? p : "http://" + p);
            if (parsed.getHost() == null) {
                throw new IllegalArgumentException("'proxy' in the extra of connection '" + connId
                        + "' must be a URL such as http://proxy.internal:3128");
            }
            return parsed;
        });
        return new SlackWebhookConnection(connId, uri, timeout, proxy);
    }

    /** Scheme, host and port of the webhook, for messages: the path is the secret. */
    public String safeAddress() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
    }
}
