package dev.gust.core.config;

/**
 * One setting of {@link GustConfig}: where it lives ({@code section.key}), its type, its default
 * as text, whether it is a secret (masked wherever it is shown), the values it may take (empty:
 * any of its type), and what it is for.
 */
public record ConfigSetting(
        String section,
        String key,
        ConfigType type,
        String defaultValue,
        boolean secret,
        java.util.List<String> choices,
        String description) {

    public String qualifiedKey() {
        return section + "." + key;
    }

    /** The environment variable that overrides it: {@code GUST_CORE__DAGS_FOLDER}. */
    public String environmentVariable() {
        return "GUST_" + section.toUpperCase(java.util.Locale.ROOT) + "__" + key.toUpperCase(java.util.Locale.ROOT);
    }
}
