package dev.gust.core.dag.load;

import java.util.Map;

/**
 * Task settings Airflow users write that Gust accepts but does not act on, each with why: they
 * change nothing a run does (executor queues). They load, and the DAG gets a DAG warning naming them
 * ({@link dev.gust.core.dag.warnings.IgnoredSettingsWarning}), so that
 * nothing is dropped without a word. ({@code email} sends mail now: {@link CallbackReader}.)
 */
final class IgnoredSettings {

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("queue", "Gust has no executor queues; every task runs on the configured executor"));

    private IgnoredSettings() {}

    static boolean isOne(String key) {
        return REASONS.containsKey(key);
    }

    /** The warning for {@code key} of {@code where} set in {@code settings} (a task's own keys over default_args). */
    static String warning(String where, String key, YamlMap settings) {
        return where + ": '" + key + "' is ignored: " + REASONS.get(key);
    }
}
