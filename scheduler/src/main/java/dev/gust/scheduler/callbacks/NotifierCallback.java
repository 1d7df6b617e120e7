package dev.gust.scheduler.callbacks;

import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.scheduler.notify.Notification;
import dev.gust.scheduler.notify.Notifier;
import dev.gust.scheduler.notify.NotifierException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A notifier callback (Airflow's Slack webhook, SMTP and SNS notifiers): its arguments rendered
 * with the callback's context, then handed to the {@link Notifier} of its kind.
 */
final class NotifierCallback {

    private NotifierCallback() {}

    static String run(CallbackSpec.Notify spec, CallbackInvocation invocation, Map<String, Notifier> notifiers)
            throws CallbackFailure {
        Notifier notifier = notifiers.get(spec.kind());
        if (notifier == null) {
            throw new CallbackFailure("no '" + spec.kind() + "' notifier is installed in this scheduler;"
                    + " use an http or bash_command callback until it is");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : spec.arguments().entrySet()) {
            arguments.put(argument.getKey(), invocation.render(argument.getKey(), argument.getValue()));
        }
        try {
            return notifier.send(new Notification(withoutNulls(arguments)));
        } catch (NotifierException e) {
            throw new CallbackFailure(e.getMessage());
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> arguments) {
        // Notification copies with Map.copyOf, which refuses nulls; a null argument means "not given"
        arguments.values().removeIf(java.util.Objects::isNull);
        return arguments;
    }
}
