package dev.gust.scheduler.operators.email;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.core.external.smtp.SmtpMailer;
import dev.gust.core.external.smtp.SmtpSettings;
import dev.gust.core.store.connections.Connection;
import dev.gust.scheduler.notify.NotifierException;
import dev.gust.scheduler.notify.SmtpNotifier;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code email}, Airflow's EmailOperator: sends {@code subject} and {@code html_content}
 * (templated like every argument) to {@code to}, {@code cc} and {@code bcc} with {@code files}
 * attached, through the SMTP connection {@code conn_id} ({@code smtp_default}), by the same code
 * as the {@code smtp} notifier of callbacks. A refused email fails the try (and is retried).
 */
public final class EmailOperator implements Operator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SmtpMailer mailer = new SmtpMailer();

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.EMAIL;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws Exception {
        Map<String, Object> arguments = new LinkedHashMap<>();
        context.args().forEach((key, value) -> {
            if (value != null) {
                arguments.put(key, value);
            }
        });
        String connId = Optional.ofNullable(arguments.get("conn_id"))
                .map(String::valueOf)
                .orElse(SmtpSettings.DEFAULT_CONN_ID);
        SmtpNotifier smtp = new SmtpNotifier(id -> context.connection(id).map(EmailOperator::connection), mailer);
        try {
            context.log().info("%s", smtp.sendEmail("email operator", arguments, connId));
            return OperatorOutcome.success();
        } catch (NotifierException e) {
            return new OperatorOutcome.Failed(e.getMessage());
        }
    }

    /** The task's view of a connection (its secrets already masked in the log) as core's record. */
    private static Connection connection(ConnectionDetails details) {
        String extra;
        try {
            extra = details.extra().isEmpty() ? null : JSON.writeValueAsString(details.extra());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the extra of connection '" + details.connId() + "' cannot be written", e);
        }
        return new Connection(
                details.connId(),
                details.connType(),
                null,
                details.host(),
                details.schema(),
                details.login(),
                details.password(),
                details.port(),
                extra);
    }
}
