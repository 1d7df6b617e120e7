package dev.gust.scheduler.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.external.slack.SlackWebhookConnection;
import dev.gust.core.store.connections.Connection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code slack_webhook}: Airflow's SlackWebhookNotifier ({@code send_slack_webhook_notification}).
 * Posts {@code text}, {@code blocks}, {@code attachments}, {@code unfurl_links} and
 * {@code unfurl_media} (and the legacy webhook fields {@code channel}, {@code username},
 * {@code icon_emoji}, {@code icon_url}) as JSON to the incoming webhook of the
 * {@code slack_webhook_conn_id} connection ({@code slack_default}); {@code timeout} and
 * {@code proxy} override the connection's. Slack answers 200 {@code ok}; anything else fails.
 */
public final class SlackWebhookNotifier implements Notifier {

    public static final String KIND = "slack_webhook";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, Optional<Connection>> connections;

    public SlackWebhookNotifier(Function<String, Optional<Connection>> connections) {
        this.connections = connections;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String send(Notification notification) throws NotifierException {
        NotificationArgs args = new NotificationArgs(KIND, notification);
        String connId = args.string("slack_webhook_conn_id", SlackWebhookConnection.DEFAULT_CONN_ID);
        Connection connection = connections
                .apply(connId)
                .orElseThrow(() -> args.fail("connection '" + connId + "' does not exist; create it with gust"
                        + " connections add " + connId + " --conn-uri 'slackwebhook://:T000%2FB000%2FXXX@'"));
        SlackWebhookConnection webhook;
        try {
            webhook = SlackWebhookConnection.of(connection);
        } catch (IllegalArgumentException e) {
            throw args.fail(e.getMessage());
        }
        String payload = payload(args);
        Duration timeout = args.seconds("timeout")
                .map(s -> Duration.ofMillis(Math.round(s * 1000)))
                .orElse(webhook.timeout());
        Optional<URI> proxy = args.string("proxy")
                .map(p -> URI.create(p.contains("://") ? p : "http://" + p))
                .or(webhook::proxy);
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(timeout);
        proxy.ifPresent(p ->
                client.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() < 0 ? 80 : p.getPort()))));
        String where = "the webhook of connection '" + connId + "' (" + webhook.safeAddress() + ")";
        try (HttpClient http = client.build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(webhook.url())
                            .timeout(timeout)
                            .header("Content-Type", "application/json; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body().strip().replaceAll("\\s+", " ");
            if (response.statusCode() != 200) {
                throw args.fail(where + " answered " + response.statusCode() + " " + abbreviate(body)
                        + "; check the webhook URL in its password and the message's blocks");
            }
            return "posted to Slack through " + where + ": " + response.statusCode() + " " + abbreviate(body);
        } catch (IOException e) {
            throw args.fail("cannot reach " + where + ": " + e.getMessage() + "; check its host and proxy");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw args.fail("interrupted while posting to " + where);
        }
    }

    private static String payload(NotificationArgs args) throws NotifierException {
        Map<String, Object> payload = new LinkedHashMap<>();
        args.string("text").ifPresent(text -> payload.put("text", text));
        Optional<Object> blocks = args.json("blocks");
        Optional<Object> attachments = args.json("attachments");
        blocks.ifPresent(b -> payload.put("blocks", b));
        attachments.ifPresent(a -> payload.put("attachments", a));
        if (payload.isEmpty()) {
            throw args.fail("give text, blocks or attachments: Slack refuses an empty message");
        }
        for (String flag : new String[] {"unfurl_links", "unfurl_media"}) {
            Optional<Boolean> value = args.bool(flag);
            if (value.isPresent()) {
                payload.put(flag, value.get());
            }
        }
        for (String field : new String[] {"channel", "username", "icon_emoji", "icon_url"}) {
            args.string(field).ifPresent(value -> payload.put(field, value));
        }
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw args.fail("the message cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
