package dev.gust.scheduler.notify;

import dev.gust.core.external.smtp.SmtpMailer;
import dev.gust.core.store.connections.Connection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The notifiers callbacks can name, by {@link Notifier#kind()}: Gust's built-ins
 * ({@code slack_webhook}, {@code smtp}, {@code sns}) read their connections through one lookup,
 * such as {@code stores.connections()::find}.
 */
public final class Notifiers {

    private final Map<String, Notifier> byKind;

    private Notifiers(Collection<? extends Notifier> notifiers) {
        Map<String, Notifier> map = new LinkedHashMap<>();
        notifiers.forEach(n -> map.put(n.kind(), n));
        this.byKind = Map.copyOf(map);
    }

    /** Slack webhook, SMTP and SNS, each finding its connection through {@code connections}. */
    public static Notifiers builtIn(Function<String, Optional<Connection>> connections) {
        return builtIn(connections, null);
    }

    /** As {@link #builtIn(Function)}, with the SNS topic sns notifiers publish to when given no target_arn. */
    public static Notifiers builtIn(Function<String, Optional<Connection>> connections, String defaultTopicArn) {
        return of(List.of(
                new SlackWebhookNotifier(connections),
                new SmtpNotifier(connections, new SmtpMailer()),
                new SnsNotifier(connections, defaultTopicArn)));
    }

    /** Just these notifiers, for tests and embedding. */
    public static Notifiers of(Collection<? extends Notifier> notifiers) {
        return new Notifiers(notifiers);
    }

    public Optional<Notifier> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    public Set<String> kinds() {
        return byKind.keySet();
    }
}
