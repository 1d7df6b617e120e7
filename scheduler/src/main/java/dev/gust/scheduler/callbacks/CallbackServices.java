package dev.gust.scheduler.callbacks;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.store.Stores;
import dev.gust.scheduler.notify.Notifier;
import dev.gust.scheduler.operators.python.PythonSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What running callbacks needs, built by the scheduler's composition root: the repositories, the
 * DAG definitions, the built-in notifiers by kind, the clean environment commands start from,
 * Gust's own secrets (masked in every callback's output), where Python runs, how long one callback
 * may take and how many run at once, and who this scheduler is ({@code claimant}, on the rows it claims).
 */
public record CallbackServices(
        Stores stores,
        DagDefinitions definitions,
        Map<String, Notifier> notifiers,
        Map<String, String> baseEnvironment,
        List<String> gustSecrets,
        PythonSettings python,
        Duration timeout,
        int parallelism,
        String claimant,
        Clock clock) {

    public CallbackServices {
        notifiers = Map.copyOf(notifiers);
        baseEnvironment = Map.copyOf(baseEnvironment);
        gustSecrets = List.copyOf(gustSecrets);
    }

    /** The notifiers by {@link Notifier#kind()}; a later one of the same kind wins. */
    public static Map<String, Notifier> byKind(List<Notifier> notifiers) {
        Map<String, Notifier> byKind = new java.util.LinkedHashMap<>();
        notifiers.forEach(n -> byKind.put(n.kind(), n));
        return byKind;
    }
}
