package dev.gust.scheduler.callbacks;

import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.scheduler.notify.Notification;
import dev.gust.scheduler.notify.Notifier;
import dev.gust.scheduler.notify.NotifierException;
import dev.gust.scheduler.notify.Notifiers;
import dev.gust.scheduler.notify.SmtpNotifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A notifier callback (Airflow's Slack webhook, SMTP and SNS notifiers): its arguments rendered
 * with the callback's context, then handed to the {@link Notifier} of its kind.
 */
final class NotifierCallback {

    private NotifierCallback() {}

    static String run(CallbackSpec.Notify spec, CallbackInvocation invocation, Notifiers notifiers)
            throws CallbackFailure {
        Notifier notifier = notifiers.find(spec.kind()).orElse(null);
        if (notifier == null) {
            throw new CallbackFailure("no '" + spec.kind() + "' notifier is installed in this scheduler;"
                    + " use an http or bash_command callback until it is");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : withDefaults(spec).entrySet()) {
            arguments.put(argument.getKey(), invocation.render(argument.getKey(), argument.getValue()));
        }
        try {
            return notifier.send(new Notification(withoutNulls(arguments)));
        } catch (NotifierException e) {
            throw new CallbackFailure(e.getMessage());
        }
    }

    /**
     * The spec's arguments with Airflow's defaults for what it leaves out: SmtpNotifier's subject and
     * body templates, so that a notifier naming only {@code to} sends Airflow's alert mail.
     */
    private static Map<String, Object> withDefaults(CallbackSpec.Notify spec) {
        Map<String, Object> arguments = new LinkedHashMap<>(spec.arguments());
        if (spec.kind().equals("smtp")) {
            arguments.putIfAbsent("subject", SmtpNotifier.DEFAULT_SUBJECT_TEMPLATE);
            arguments.putIfAbsent("html_content", SmtpNotifier.DEFAULT_HTML_CONTENT_TEMPLATE);
        }
        return arguments;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> arguments) {
        // Notification copies with Map.copyOf, which refuses nulls; a null argument means "not given"
        arguments.values().removeIf(java.util.Objects::isNull);
        return arguments;
    }
}
