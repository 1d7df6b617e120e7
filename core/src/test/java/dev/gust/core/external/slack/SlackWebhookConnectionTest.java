package dev.gust.core.external.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionUri;
import java.net.URI;
import org.junit.jupiter.api.Test;

class SlackWebhookConnectionTest {

    @Test
    void theTokenPathJoinsTheDefaultEndpoint() {
        SlackWebhookConnection webhook =
                SlackWebhookConnection.of(ConnectionUri.parse("slackwebhook://:T000%2FB000%2FXXXX@/?timeout=42")
                        .toConnection("slack_default", null));
        assertThat(webhook.url()).isEqualTo(URI.create("https://hooks.slack.com/services/T000/B000/XXXX"));
        assertThat(webhook.timeout()).hasSeconds(42);
        assertThat(webhook.safeAddress()).isEqualTo("https://hooks.slack.com/...");
        assertThat(webhook.toString()).doesNotContain("XXXX");
    }

    @Test
    void aFullUrlInThePasswordWinsOverHostAndSchema() {
        SlackWebhookConnection webhook = SlackWebhookConnection.of(ConnectionUri.parse(
                        "slackwebhook://:https%3A%2F%2Fhooks.slack.com%2Fservices%2FT1%2FB1%2FY@ignored.example.com/http")
                .toConnection("alerts", null));
        assertThat(webhook.url()).isEqualTo(URI.create("https://hooks.slack.com/services/T1/B1/Y"));
    }

    @Test
    void hostAndSchemaMakeTheEndpointAsInAirflow() {
        Connection local = new Connection(
                "sink",
                "slackwebhook",
                null,
                "127.0.0.1:9999/hooks",
                "http",
                null,
                "T/B/Z",
                null,
                "{\"proxy\": \"proxy.internal:3128\"}");
        SlackWebhookConnection webhook = SlackWebhookConnection.of(local);
        assertThat(webhook.url()).isEqualTo(URI.create("http://127.0.0.1:9999/hooks/T/B/Z"));
        assertThat(webhook.proxy()).contains(URI.create("http://proxy.internal:3128"));
        Connection schemeInHost = new Connection(
                "sink", "http", null, "https://hooks.example.com/services/", "http", null, "/T/B/Z", null, null);
        assertThat(SlackWebhookConnection.of(schemeInHost).url())
                .isEqualTo(URI.create("https://hooks.example.com/services/T/B/Z"));
    }

    @Test
    void whatIsNotAWebhookIsAOneLineErrorNamingTheConnection() {
        assertThatThrownBy(() -> SlackWebhookConnection.of(
                        new Connection("slack_default", "slackwebhook", null, null, null, null, null, null, null)))
                .hasMessage(
                        "connection 'slack_default' has no webhook token; set its password to the webhook URL or its"
                                + " T000/B000/XXX path");
        assertThatThrownBy(() -> SlackWebhookConnection.of(
                        ConnectionUri.parse("slack://:xoxb-123-abc@/").toConnection("slack_api", null)))
                .hasMessage("connection 'slack_api' holds a Slack API token, not an incoming webhook; set its password"
                        + " to the webhook URL");
        assertThatThrownBy(() -> SlackWebhookConnection.of(
                        new Connection("db", "postgres", null, "h", null, null, "pw", null, null)))
                .hasMessageStartingWith("connection 'db' has type 'postgres'; a Slack incoming webhook needs a"
                        + " slackwebhook connection");
    }
}
