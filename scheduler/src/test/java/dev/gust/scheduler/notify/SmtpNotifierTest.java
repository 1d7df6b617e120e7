package dev.gust.scheduler.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.connections.Connection;
import dev.gust.core.testing.TestMailServer;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SMTP notifier against a real SMTP server run by the test. */
class SmtpNotifierTest {

    @RegisterExtension
    static final TestMailServer mail = TestMailServer.start();

    final Map<String, Connection> connections = new HashMap<>();
    final Notifier notifier = Notifiers.builtIn(id -> Optional.ofNullable(connections.get(id)))
            .find("smtp")
            .orElseThrow();

    @Test
    void sendsToEveryRecipientThroughTheDefaultConnection() throws Exception {
        connections.put(
                "smtp_default",
                mail.connection(
                        "smtp_default",
                        "{\"disable_ssl\": true, \"disable_tls\": true, \"from_email\": \"gust@example.com\"}"));

        String summary = notifier.send(new Notification(Map.of(
                "to", List.of("ops@example.com", "dev@example.com"),
                "cc", "lead@example.com",
                "subject", "DAG etl - Task load - in State failed",
                "html_content", "<p>load failed</p>",
                "custom_headers", Map.of("X-Priority", "1"))));

        List<MimeMessage> received = mail.awaitMessages(3);
        assertThat(received).hasSize(3);
        MimeMessage message = received.get(0);
        assertThat(message.getSubject()).isEqualTo("DAG etl - Task load - in State failed");
        assertThat(message.getFrom()[0].toString()).isEqualTo("gust@example.com");
        assertThat(message.getRecipients(Message.RecipientType.CC))
                .extracting(Object::toString)
                .containsExactly("lead@example.com");
        assertThat(message.getHeader("X-Priority")).containsExactly("1");
        assertThat(((Multipart) message.getContent()).getBodyPart(0).getContent())
                .isEqualTo("<p>load failed</p>");
        assertThat(summary)
                .startsWith("emailed ops@example.com, dev@example.com through 127.0.0.1:" + mail.smtpPort()
                        + " (plain) of connection 'smtp_default' (<");
    }

    @Test
    void theFromArgumentAndConnectionIdArgumentWin() throws Exception {
        connections.put("mailer", mail.connection("mailer", "{\"disable_ssl\": \"true\", \"disable_tls\": \"true\"}"));
        notifier.send(new Notification(Map.of(
                "smtp_conn_id", "mailer",
                "from_email", "alerts@example.com",
                "to", "ops@example.com",
                "subject", "s",
                "html_content", "h")));
        assertThat(mail.awaitMessages(1).get(0).getFrom()[0].toString()).isEqualTo("alerts@example.com");
    }

    @Test
    void errorsNameTheNotifierAndSayWhatToDo() {
        assertThatThrownBy(() -> notifier.send(
                        new Notification(Map.of("to", "a@example.com", "subject", "s", "html_content", "h"))))
                .isInstanceOf(NotifierException.class)
                .hasMessage("smtp notifier: connection 'smtp_default' does not exist; create it with gust connections"
                        + " add smtp_default --conn-uri 'smtp://USER:PASSWORD@smtp.example.com:587?disable_ssl=true'");
        connections.put(
                "smtp_default", mail.connection("smtp_default", "{\"disable_ssl\": true, \"disable_tls\": true}"));
        assertThatThrownBy(() -> notifier.send(new Notification(Map.of("subject", "s", "html_content", "h"))))
                .hasMessage("smtp notifier: give to (an address, a comma-separated string or a list of them)");
        assertThatThrownBy(() -> notifier.send(new Notification(Map.of("to", "a@example.com", "html_content", "h"))))
                .hasMessage(
                        "smtp notifier: give subject (the subject line, a template rendered with the task's context)");
        assertThatThrownBy(() -> notifier.send(
                        new Notification(Map.of("to", "a@example.com", "subject", "s", "html_content", "h"))))
                .hasMessage("smtp notifier: the email has no sender; give from_email, or set from_email in the extra of"
                        + " connection 'smtp_default'");
    }
}
