package dev.gust.core.store.secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one rule for which names hold secrets: a Variable key, a connection extra's field or a
 * template variable is sensitive when its name contains, ignoring case, one of
 * {@link #MARKERS} (Airflow's list, plus "key"). Its value is then shown as {@link #MASK} in the
 * CLI and the web UI and masked in task logs, as Airflow does.
 */
public final class SensitiveNames {

    /** What is shown instead of a sensitive value. */
    public static final String MASK = "***";

    /**
     * Substrings that mark a name as sensitive (Airflow's sensitive field names); "key" catches
     * api_key, private_key and access_key, "token" access_token.
     */
    public static final List<String> MARKERS =
            List.of("password", "passwd", "passphrase", "secret", "authorization", "token", "key", "service_account");

    private SensitiveNames() {}

    public static boolean isSensitive(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return MARKERS.stream().anyMatch(lower::contains);
    }

    /** {@code value} itself, or {@link #MASK} when {@code name} is sensitive (null stays null). */
    public static String maskIfSensitive(String name, String value) {
        return value != null && isSensitive(name) ? MASK : value;
    }

    /**
     * A copy of a decoded JSON value (maps, lists, scalars) in which the value under every
     * sensitive name is {@link #MASK}, at any depth: {@code {"auth": {"token": "t"}}} and
     * {@code {"keys": [{"secret": "s"}]}} are masked as well as a top-level {@code password}.
     */
    public static Object redact(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(k, v != null && isSensitive(String.valueOf(k)) ? MASK : redact(v)));
                yield copy;
            }
            case List<?> list -> list.stream().map(SensitiveNames::redact).toList();
            case null, default -> value;
        };
    }
}
