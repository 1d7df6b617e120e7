package dev.gust.core.external.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.connections.Connection;
import dev.gust.core.testing.TestMailServer;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SmtpMailerTest {

    @RegisterExtension
    static final TestMailServer mail = TestMailServer.start();

    static final String PLAIN =
            "{\"disable_ssl\": \"true\", \"disable_tls\": true, \"from_email\": \"gust@example.com\"}";

    final SmtpMailer mailer = new SmtpMailer();

    @Test
    void sendsHtmlWithCcBccAndAttachmentsAfterLoggingIn(@TempDir Path dir) throws Exception {
        Path report = Files.writeString(dir.resolve("report.csv"), "a,b\n1,2\n");
        SmtpSettings settings = SmtpSettings.of(mail.connection("smtp_default", PLAIN));
        Email email = new Email(
                null,
                Email.addresses("ops@example.com; oncall@example.com", "to"),
                Email.addresses(List.of("lead@example.com"), "cc"),
                Email.addresses("audit@example.com", "bcc"),
                "Task failed: é",
                "<b>load</b> failed",
                List.of(report),
                "mixed",
                "utf-8",
                Map.of("X-Gust-Dag", "etl"));

        String messageId = mailer.send(settings, email);

        List<MimeMessage> received = mail.awaitMessages(4);
        assertThat(received).hasSize(4); // one copy per recipient, bcc included
        MimeMessage message = received.get(0);
        assertThat(message.getMessageID()).isEqualTo(messageId);
        assertThat(message.getFrom()[0].toString()).isEqualTo("gust@example.com");
        assertThat(message.getSubject()).isEqualTo("Task failed: é");
        assertThat(message.getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly("ops@example.com", "oncall@example.com");
        assertThat(message.getRecipients(Message.RecipientType.CC))
                .extracting(Object::toString)
                .containsExactly("lead@example.com");
        assertThat(message.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(message.getHeader("X-Gust-Dag")).containsExactly("etl");
        Multipart body = (Multipart) message.getContent();
        assertThat(body.getContentType()).startsWith("multipart/mixed");
        assertThat(body.getBodyPart(0).getContentType()).startsWith("text/html");
        assertThat(body.getBodyPart(0).getContent()).isEqualTo("<b>load</b> failed");
        Part attachment = body.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("report.csv");
        // a text part travels with CRLF line ends, as MIME wants
        assertThat(new String(attachment.getInputStream().readAllBytes()).replace("\r\n", "\n"))
                .isEqualTo("a,b\n1,2\n");
    }

    @Test
    void sslWithAnyCertificateWhenTheConnectionSaysSslContextNone() throws Exception {
        Connection ssl = new Connection(
                "smtp_ssl",
                "smtp",
                null,
                "127.0.0.1",
                null,
                TestMailServer.LOGIN,
                TestMailServer.PASSWORD,
                mail.smtpsPort(),
                "{\"ssl_context\": \"none\"}");
        SmtpSettings settings = SmtpSettings.of(ssl);
        assertThat(settings.ssl()).isTrue();
        assertThat(settings.starttls()).isFalse();

        mailer.send(settings, simple("from@example.com", "to@example.com"));

        assertThat(mail.awaitMessages(1)).hasSize(1);
    }

    @Test
    void aWrongPasswordIsAOneLineErrorNamingTheConnection() {
        Connection wrong = new Connection(
                "smtp_default", "smtp", null, "127.0.0.1", null, TestMailServer.LOGIN, "wrong", mail.smtpPort(), PLAIN);
        assertThatThrownBy(() -> mailer.send(SmtpSettings.of(wrong), simple(null, "to@example.com")))
                .isInstanceOf(SmtpException.class)
                .hasMessageStartingWith("the SMTP server 127.0.0.1:" + mail.smtpPort()
                        + " (plain) refused the login of connection 'smtp_default'")
                .hasMessageEndingWith("; check its login and password")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aServerThatIsNotThereIsNamedWithWhatToCheck() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Connection nowhere = new Connection(
                "smtp_default",
                "smtp",
                null,
                "127.0.0.1",
                null,
                null,
                null,
                closed,
                "{\"disable_ssl\": true, \"disable_tls\": true, \"retry_limit\": 1}");
        assertThatThrownBy(() -> mailer.check(SmtpSettings.of(nowhere)))
                .isInstanceOf(SmtpException.class)
                .hasMessageStartingWith("cannot talk to the SMTP server 127.0.0.1:" + closed + " (plain) of connection"
                        + " 'smtp_default'")
                .hasMessageEndingWith("; check its host and port, and disable_ssl/disable_tls in its extra");
    }

    @Test
    void theSenderAndRecipientsAreRequiredAndChecked() {
        SmtpSettings noFrom = SmtpSettings.of(mail.connection("smtp_default", "{\"disable_ssl\": true}"));
        assertThatThrownBy(() -> mailer.send(noFrom, simple(null, "to@example.com")))
                .hasMessage("the email has no sender; give from_email, or set from_email in the extra of connection"
                        + " 'smtp_default'");
        assertThatThrownBy(() -> mailer.send(noFrom, simple("from@example.com", "not an address")))
                .hasMessage("'not an address' in to is not an email address");
    }

    @Test
    void settingsFollowAirflowsDefaults() {
        SmtpSettings defaults = SmtpSettings.of(
                new Connection("smtp_default", "smtp", null, "smtp.example.com", null, null, null, null, null));
        assertThat(defaults.ssl()).isTrue();
        assertThat(defaults.port()).isEqualTo(465);
        assertThat(defaults.timeout()).hasSeconds(30);
        assertThat(defaults.retryLimit()).isEqualTo(5);
        SmtpSettings tls = SmtpSettings.of(new Connection(
                "smtp_default", "smtp", null, "smtp.example.com", null, null, null, null, "{\"disable_ssl\": true}"));
        assertThat(tls.starttls()).isTrue();
        assertThat(tls.port()).isEqualTo(587);
        SmtpSettings legacy = SmtpSettings.of(new Connection(
                "smtp_default",
                "smtp",
                null,
                "smtp.example.com",
                null,
                null,
                null,
                25,
                "{\"ssl\": false, \"starttls\": false, \"timeout\": \"2.5\"}"));
        assertThat(legacy.ssl()).isFalse();
        assertThat(legacy.starttls()).isFalse();
        assertThat(legacy.timeout()).hasMillis(2500);
        assertThatThrownBy(() -> SmtpSettings.of(
                        new Connection("smtp_default", "smtp", null, " ", null, null, null, null, null)))
                .hasMessage(
                        "connection 'smtp_default' has no host; set it to the SMTP server, such as smtp.example.com");
        assertThatThrownBy(() -> SmtpSettings.of(new Connection(
                        "smtp_default", "smtp", null, "h", null, null, null, null, "{\"disable_ssl\": \"maybe\"}")))
                .hasMessage("'disable_ssl' in the extra of connection 'smtp_default' must be true or false");
    }

    private static Email simple(String from, String to) {
        return new Email(
                from, List.of(to), List.of(), List.of(), "hello", "<p>hi</p>", List.of(), "mixed", "utf-8", Map.of());
    }
}
