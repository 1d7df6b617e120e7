package dev.gust.core.dag.load;

import java.util.List;
import java.util.Map;

/**
 * Task settings Airflow users write that Gust accepts but does not act on, each with why: they
 * change nothing a run does (presentation, executor queues) or ask for something Airflow 3 no
 * longer does either (SLAs). They load, and the DAG gets a DAG warning naming them
 * ({@link dev.gust.core.dag.warnings.IgnoredSettingsWarning}), so that
 * nothing is dropped without a word. {@code email} is one only when it would send mail.
 */
final class IgnoredSettings {

    private static final String NO_EMAIL = "Gust does not send e-mail";
    private static final String NO_SLA = "Gust does not check SLAs (Airflow 3 removed them too)";

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("email", NO_EMAIL),
            Map.entry("email_on_failure", NO_EMAIL),
            Map.entry("email_on_retry", NO_EMAIL),
            Map.entry("sla", NO_SLA),
            Map.entry("sla_secs", NO_SLA),
            Map.entry("queue", "Gust has no executor queues; every task runs on the configured executor"));

    private IgnoredSettings() {}

    static boolean isOne(String key) {
        return REASONS.containsKey(key);
    }

    /**
     * The warning for {@code key} of {@code where} set in {@code settings} (a task's own keys over
     * default_args), or null when ignoring it changes nothing: e-mail flags without an address,
     * or an address whose flags are both false.
     */
    static String warning(String where, String key, YamlMap settings) {
        if (key.equals("email_on_failure") || key.equals("email_on_retry")) {
            return null; // said once, for the address they would send to
        }
        if (key.equals("email")) {
            Object address = settings.has("email")
                    ? YamlValues.plain(settings.get("email").value())
                    : null;
            boolean none =
                    address == null || address.toString().isBlank() || address instanceof List<?> l && l.isEmpty();
            if (none || (isFalse(settings, "email_on_failure") && isFalse(settings, "email_on_retry"))) {
                return null;
            }
        }
        return where + ": '" + key + "' is ignored: " + REASONS.get(key);
    }

    private static boolean isFalse(YamlMap settings, String key) {
        // Airflow sends mail on failure and on retry unless told not to
        return settings.has(key)
                && Boolean.FALSE.equals(YamlValues.plain(settings.get(key).value()));
    }
}
