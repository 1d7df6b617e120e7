package dev.gust.scheduler.notify;

import java.util.Map;

/**
 * One message for a {@link Notifier}: the callback's arguments under Airflow's parameter names
 * ({@code text}, {@code to}, {@code subject}, {@code html_content}, {@code target_arn}, {@code message},
 * the {@code *_conn_id} keys ...), with every template already rendered against the task's context.
 */
public record Notification(Map<String, Object> arguments) {

    public Notification {
        arguments = Map.copyOf(arguments);
    }
}
