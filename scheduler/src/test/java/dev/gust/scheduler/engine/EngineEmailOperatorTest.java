package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.testing.TestMailServer;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code operator: email} (Airflow's EmailOperator) run by the engine: templated subject and body,
 * an attachment, the SMTP connection from the metadata database, and a real SMTP server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineEmailOperatorTest {

    @RegisterExtension
    static final TestMailServer mail = TestMailServer.start();

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @Test
    void sendsTheRenderedEmailWithItsAttachment() throws Exception {
        Path report = Files.writeString(harness.dir().resolve("report.txt"), "42 rows");
        harness.stores()
                .connections()
                .add(mail.connection(
                        "smtp_default",
                        "{\"disable_ssl\": true, \"disable_tls\": true, \"from_email\": \"gust@example.com\"}"));
        harness.dag("mail.yaml", """
                mail:
                  schedule: null
                  tasks:
                    report:
                      operator: airflow.providers.smtp.operators.smtp.EmailOperator
                      to: [ops@example.com]
                      cc: lead@example.com
                      subject: "{{ dag.dag_id }} report for {{ ds }}"
                      html_content: "<p>run {{ run_id }}</p>"
                      files: [%s]
                """.formatted(report));

        DagRun run = harness.run("mail");

        assertThat(harness.ti(run, "report").state()).isEqualTo(TaskState.SUCCESS);
        List<MimeMessage> received = mail.awaitMessages(2);
        assertThat(received).hasSize(2);
        MimeMessage message = received.get(0);
        assertThat(message.getSubject()).startsWith("mail report for 20");
        Multipart body = (Multipart) message.getContent();
        assertThat(body.getBodyPart(0).getContent()).isEqualTo("<p>run " + run.runId() + "</p>");
        assertThat(body.getBodyPart(1).getFileName()).isEqualTo("report.txt");
        assertThat(harness.log(run, "report", 1)).contains("emailed ops@example.com through 127.0.0.1:");
    }

    @Test
    void aRefusedLoginFailsTheTaskWithAOneLineReason() throws Exception {
        harness.stores()
                .connections()
                .add(new Connection(
                        "smtp_default",
                        "smtp",
                        null,
                        "127.0.0.1",
                        null,
                        TestMailServer.LOGIN,
                        "wrong-password",
                        mail.smtpPort(),
                        "{\"disable_ssl\": true, \"disable_tls\": true, \"from_email\": \"gust@example.com\"}"));
        harness.dag("mail.yaml", """
                mail:
                  schedule: null
                  tasks:
                    report: {operator: email, to: ops@example.com, subject: s, html_content: h}
                """);

        DagRun run = harness.run("mail");

        assertThat(harness.ti(run, "report").state()).isEqualTo(TaskState.FAILED);
        assertThat(harness.log(run, "report", 1))
                .contains("email operator: the SMTP server 127.0.0.1:" + mail.smtpPort()
                        + " (plain) refused the login of connection 'smtp_default'")
                .doesNotContain("wrong-password");
    }
}
