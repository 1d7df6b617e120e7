package dev.gust.core.config;

/**
 * The effective value of one setting, typed and as written, and where it came from
 * ({@code default}, the config file's path, or the environment variable's name).
 */
public record ConfigValue(ConfigSetting setting, Object value, String text, String source) {

    private static final String MASK = "********";

    /** The value as text, with secrets masked and a password inside a database URL hidden. */
    public String displayValue() {
                if (setting.secret()) {
            return text.isEmpty() ? "" : MASK;
        }
        // postgresql://user:password@host/db: the password may sit inside a URL setting
        return text.replaceAll("(://[^:/@]+:)[^@/]+@", "$1" + MASK + "@")
                .replaceAll("(?i)(password=)[^&]+", "$1" + MASK);
    }
}
