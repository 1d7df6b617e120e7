package dev.gust.scheduler.notify;

import dev.gust.core.external.smtp.Email;
import dev.gust.core.external.smtp.SmtpException;
import dev.gust.core.external.smtp.SmtpMailer;
import dev.gust.core.external.smtp.SmtpSettings;
import dev.gust.core.store.connections.Connection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code smtp}: Airflow's SmtpNotifier ({@code send_smtp_notification}). Sends {@code subject} and
 * {@code html_content} from {@code from_email} (else the connection's {@code from_email}) to
 * {@code to}, {@code cc} and {@code bcc} (each an address, a comma-separated string or a list),
 * with {@code files} attached, {@code mime_subtype}, {@code mime_charset} and
 * {@code custom_headers}, through the {@code smtp_conn_id} connection ({@code smtp_default}).
 * The {@code EmailOperator} sends through {@link #sendEmail}.
 */
public final class SmtpNotifier implements Notifier {

    public static final String KIND = "smtp";

    /**
     * Airflow's default subject when a callback gives none; a template the caller renders with the
     * task's context before sending (the notifier only ever sees rendered arguments).
     */
    public static final String DEFAULT_SUBJECT_TEMPLATE =
            "DAG {{ dag.dag_id }} - Task {{ ti.task_id }} - Run ID {{ ti.run_id }} in State {{ ti.state }}";

    /** Airflow's default body when a callback gives none: a template, like {@link #DEFAULT_SUBJECT_TEMPLATE}. */
    public static final String DEFAULT_HTML_CONTENT_TEMPLATE = "<h3>Task {{ ti.task_id }} of DAG {{ dag.dag_id }}"
            + " is in state {{ ti.state }}</h3><p>Run: {{ ti.run_id }}<br>Try: {{ ti.try_number }}<br>"
            + "Log: <a href=\"{{ ti.log_url }}\">{{ ti.log_url }}</a></p>";

    private final Function<String, Optional<Connection>> connections;
    private final SmtpMailer mailer;

    public SmtpNotifier(Function<String, Optional<Connection>> connections, SmtpMailer mailer) {
        this.connections = connections;
        this.mailer = mailer;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String send(Notification notification) throws NotifierException {
        NotificationArgs args = new NotificationArgs(KIND, notification);
        return send(args, args.string("smtp_conn_id", SmtpSettings.DEFAULT_CONN_ID));
    }

    /**
     * Sends the email {@code arguments} describe (under Airflow's names) through connection
     * {@code connId}, for callers other than callbacks, such as the EmailOperator; error messages
     * start with {@code who}.
     *
     * @return a one-line summary for the task log
     */
    public String sendEmail(String who, Map<String, Object> arguments, String connId) throws NotifierException {
        return send(new NotificationArgs(who, arguments), connId);
    }

    private String send(NotificationArgs args, String connId) throws NotifierException {
        SmtpSettings settings = settings(args, connId);
        Email email = email(args);
        try {
            String messageId = mailer.send(settings, email);
            return "emailed " + String.join(", ", email.to()) + " through " + settings.address() + " of connection '"
                    + settings.connId() + "' (" + messageId + ")";
        } catch (SmtpException e) {
            throw args.fail(e.getMessage());
        }
    }

    private SmtpSettings settings(NotificationArgs args, String connId) throws NotifierException {
        Connection connection = connections
                .apply(connId)
                .orElseThrow(() -> args.fail("connection '" + connId + "' does not exist; create it with gust"
                        + " connections add " + connId
                        + " --conn-uri 'smtp://USER:PASSWORD@smtp.example.com:587?disable_ssl=true'"));
        try {
            return SmtpSettings.of(connection);
        } catch (IllegalArgumentException e) {
            throw args.fail(e.getMessage());
        }
    }

    private static Email email(NotificationArgs args) throws NotifierException {
        try {
            List<String> to = Email.addresses(args.raw("to").orElse(null), "to");
            if (to.isEmpty()) {
                throw args.fail("give to (an address, a comma-separated string or a list of them)");
            }
            List<Path> files = Email.addresses(args.raw("files").orElse(null), "files").stream()
                    .map(Path::of)
                    .toList();
            Map<String, String> headers = new LinkedHashMap<>();
            Object custom = args.json("custom_headers").orElse(Map.of());
            if (!(custom instanceof Map<?, ?> map)) {
                throw args.fail("custom_headers must be a mapping of header names to values");
            }
            map.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
            return new Email(
                    args.string("from_email").orElse(null),
                    to,
                    Email.addresses(args.raw("cc").orElse(null), "cc"),
                    Email.addresses(args.raw("bcc").orElse(null), "bcc"),
                    args.required("subject", "the subject line, a template rendered with the task's context"),
                    args.required("html_content", "the HTML body, a template rendered with the task's context"),
                    files,
                    args.string("mime_subtype", "mixed"),
                    args.string("mime_charset", "utf-8"),
                    headers);
        } catch (IllegalArgumentException e) {
            throw args.fail(e.getMessage());
        }
    }
}
