package dev.gust.core.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kinds of value a setting can hold, each with the one parser that turns the text of a YAML
 * scalar or an environment variable into it. A parser throws {@link IllegalArgumentException}
 * with a message that completes "value 'x' is ...".
 */
public enum ConfigType {
    STRING("text"),
    INTEGER("a whole number") {
        @Override
        Object parse(String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not " + description);
            }
        }
    },
    BOOLEAN("true or false") {
        @Override
        Object parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException("not " + description);
            };
        }
    },
    /** Seconds as a plain number, or a number with a unit: 500ms, 30s, 5m, 2h, 1d. */
    DURATION("a duration such as 30s, 5m or 2h") {
        private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

        @Override
        Object parse(String text) {
            String trimmed = text.trim().toLowerCase(Locale.ROOT);
            if (trimmed.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(trimmed));
            }
            Matcher m = WITH_UNIT.matcher(trimmed);
            if (!m.matches()) {
                throw new IllegalArgumentException("not " + description);
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
    },
    /** Bytes as a plain number, or with a unit: 512KB, 1MB, 2GB (powers of 1024). */
    BYTES("a size such as 1048576, 512KB or 1MB") {
        private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?");

        @Override
        Object parse(String text) {
            Matcher m = WITH_UNIT.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("not " + description);
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2);
            return switch (unit) {
                case "kb" -> n * 1024;
                case "mb" -> n * 1024 * 1024;
                case "gb" -> n * 1024 * 1024 * 1024;
                default -> n;
            };
        }
    },
    TIMEZONE("a time zone such as UTC or Europe/Paris") {
        @Override
        Object parse(String text) {
            try {
                return ZoneId.of(text.trim()).getId();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("not " + description);
            }
        }
    };

    final String description;

    ConfigType(String description) {
        this.description = description;
    }

    Object parse(String text) {
        return text;
    }
}
