package dev.gust.scheduler.callbacks;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.store.Stores;
import dev.gust.scheduler.notify.Notifiers;
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
        Notifiers notifiers,
        Map<String, String> baseEnvironment,
        List<String> gustSecrets,
        PythonSettings python,
        Duration timeout,
        int parallelism,
        String claimant,
        Clock clock) {

    public CallbackServices {
        baseEnvironment = Map.copyOf(baseEnvironment);
        gustSecrets = List.copyOf(gustSecrets);
    }
}
