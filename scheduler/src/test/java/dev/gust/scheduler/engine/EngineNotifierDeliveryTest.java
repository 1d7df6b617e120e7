package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.testing.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole path a failure takes to the people on call, with the real parts: a running scheduler
 * records the failure and its callback requests, its callback runner renders them and hands them to
 * the built-in Slack webhook and SMTP notifiers, which find their connections in the metadata
 * database and deliver to a webhook sink and a real SMTP server, once each.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineNotifierDeliveryTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @RegisterExtension
    static final TestMailServer mail = TestMailServer.start();

    private HttpServer slack;
    private final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startWebhookSink() throws Exception {
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/services/", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.start();
    }

    @AfterEach
    void stopWebhookSink() {
        slack.stop(0);
    }

    @Test
    void aFailedTaskReachesSlackAndEmailOnceEachThroughStoredConnections() throws Exception {
        harness.stores()
                .connections()
                .add(new Connection(
                        "oncall_hook",
                        "slackwebhook",
                        null,
                        "127.0.0.1:" + slack.getAddress().getPort() + "/services",
                        "http",
                        null,
                        "T0/B0/secret",
                        null,
                        null));
        harness.stores()
                .connections()
                .add(mail.connection(
                        "smtp_default",
                        "{\"disable_ssl\": true, \"disable_tls\": true, \"from_email\": \"gust@example.com\"}"));
        harness.dag("paged.yaml", """
                paged:
                  schedule: null
                  default_args:
                    email: [oncall@example.com]
                    email_on_retry: false
                  tasks:
                    load:
                      operator: bash
                      bash_command: 'exit 3'
                      on_failure_callback:
                        callback: airflow.providers.slack.notifications.slack_webhook.send_slack_webhook_notification
                        slack_webhook_conn_id: oncall_hook
                        text: ":red_circle: {{ dag.dag_id }}.{{ ti.task_id }} failed in {{ run_id }}"
                """);
        harness.startEngine();
        DagRun run = harness.awaitFinished(harness.trigger("paged"), DEADLINE);
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);

        List<MimeMessage> mails = mail.awaitMessages(1);
        EngineHarness.await(DEADLINE, "the Slack post", () -> posted.size(), size -> size >= 1);
        EngineHarness.await(
                DEADLINE,
                "both callbacks to end",
                () -> harness.stores().callbackRequests().listForRun("paged", run.runId()),
                list -> list.size() == 2
                        && list.stream().allMatch(r -> r.state().equals("success")));

        assertThat(posted)
                .singleElement()
                .asString()
                .contains("\":red_circle: paged.load failed in " + run.runId() + "\"");
        assertThat(mails).singleElement().satisfies(message -> {
            assertThat(message.getSubject())
                    .isEqualTo("Airflow alert: <TaskInstance: paged.load " + run.runId() + " [failed]>");
            assertThat(message.getAllRecipients()).extracting(Object::toString).containsExactly("oncall@example.com");
        });
        assertThat(harness.log(run, "load", 1))
                .contains("[on_failure_callback] Callback succeeded: posted to Slack")
                .contains("[on_failure_callback] Callback succeeded:");
    }
}
