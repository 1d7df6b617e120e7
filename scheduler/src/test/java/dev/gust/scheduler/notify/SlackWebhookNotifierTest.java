package dev.gust.scheduler.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionUri;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Slack webhook notifier against an HTTP sink that answers as Slack's incoming webhooks do. */
class SlackWebhookNotifierTest {

    static final ObjectMapper JSON = new ObjectMapper();

    HttpServer slack;
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final Map<String, Connection> connections = new HashMap<>();
    final Notifiers notifiers = Notifiers.builtIn(id -> Optional.ofNullable(connections.get(id)));

    @BeforeEach
    void startSink() throws Exception {
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/services/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            boolean known = exchange.getRequestURI().getPath().equals("/services/T0/B0/secret");
            byte[] answer = (known ? "ok" : "no_service").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 404, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        slack.start();
        connections.put(
                "slack_default",
                ConnectionUri.parse("slackwebhook://:T0%2FB0%2Fsecret@127.0.0.1:"
                                + slack.getAddress().getPort() + "/http?timeout=5")
                        .toConnection("slack_default", null));
    }

    @AfterEach
    void stopSink() {
        slack.stop(0);
    }

    @Test
    void postsTextBlocksAndFlagsAsJsonToTheConnectionsWebhook() throws Exception {
        Connection defaultEndpoint = new Connection(
                "slack_default",
                "slackwebhook",
                null,
                "127.0.0.1:" + slack.getAddress().getPort() + "/services",
                "http",
                null,
                "T0/B0/secret",
                null,
                null);
        connections.put("slack_default", defaultEndpoint);
        Notifier notifier = notifiers.find("slack_webhook").orElseThrow();

        String summary = notifier.send(new Notification(Map.of(
                "text", "etl.load failed",
                "blocks", "[{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", \"text\": \"*load* failed\"}}]",
                "unfurl_links", "false",
                "unfurl_media", true)));

        assertThat(paths).containsExactly("/services/T0/B0/secret");
        JsonNode payload = JSON.readTree(bodies.get(0));
        assertThat(payload.get("text").asText()).isEqualTo("etl.load failed");
        assertThat(payload.at("/blocks/0/text/text").asText()).isEqualTo("*load* failed");
        assertThat(payload.get("unfurl_links").asBoolean()).isFalse();
        assertThat(payload.get("unfurl_media").asBoolean()).isTrue();
        assertThat(payload.has("attachments")).isFalse();
        assertThat(summary)
                .isEqualTo("posted to Slack through the webhook of connection 'slack_default' (http://127.0.0.1:"
                        + slack.getAddress().getPort() + "/...): 200 ok")
                .doesNotContain("secret");
    }

    @Test
    void theConnectionIdArgumentPicksTheWebhook() throws Exception {
        connections.put(
                "alerts",
                new Connection(
                        "alerts",
                        "slackwebhook",
                        null,
                        null,
                        null,
                        null,
                        "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T0/B0/secret",
                        null,
                        null));
        notifiers
                .find("slack_webhook")
                .orElseThrow()
                .send(new Notification(
                        Map.of("slack_webhook_conn_id", "alerts", "attachments", List.of(Map.of("text", "a")))));
        assertThat(JSON.readTree(bodies.get(0)).at("/attachments/0/text").asText())
                .isEqualTo("a");
    }

    @Test
    void aRefusalAMissingConnectionAndAnEmptyMessageAreOneLineErrors() {
        Notifier notifier = notifiers.find("slack_webhook").orElseThrow();
        connections.put(
                "wrong",
                new Connection(
                        "wrong",
                        "slackwebhook",
                        null,
                        "127.0.0.1:" + slack.getAddress().getPort() + "/services",
                        "http",
                        null,
                        "T0/B0/revoked",
                        null,
                        null));
        assertThatThrownBy(() -> notifier.send(new Notification(Map.of("slack_webhook_conn_id", "wrong", "text", "x"))))
                .isInstanceOf(NotifierException.class)
                .hasMessage(
                        "slack_webhook notifier: the webhook of connection 'wrong' (http://127.0.0.1:"
                                + slack.getAddress().getPort()
                                + "/...) answered 404 no_service; check the webhook URL in its password and the message's blocks");
        assertThatThrownBy(() -> notifier.send(new Notification(Map.of("slack_webhook_conn_id", "nope", "text", "x"))))
                .hasMessage(
                        "slack_webhook notifier: connection 'nope' does not exist; create it with gust connections add"
                                + " nope --conn-uri 'slackwebhook://:T000%2FB000%2FXXX@'");
        assertThatThrownBy(() -> notifier.send(new Notification(Map.of("unfurl_links", true))))
                .hasMessage("slack_webhook notifier: give text, blocks or attachments: Slack refuses an empty message");
        assertThatThrownBy(() -> notifier.send(new Notification(Map.of("text", "x", "blocks", "[{"))))
                .hasMessageStartingWith("slack_webhook notifier: blocks is not valid JSON: ");
        assertThat(paths).containsExactly("/services/T0/B0/revoked");
    }
}
