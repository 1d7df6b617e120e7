package dev.gust.scheduler.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A notification's arguments read for one notifier: text, yes/no and JSON values (a rendered
 * template is text, so {@code blocks: '[...]'} and {@code unfurl_links: 'false'} are read as what
 * they spell), and the one-line errors that name the notifier and the argument.
 */
final class NotificationArgs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String who;
    private final Map<String, Object> arguments;

    /** The arguments of {@code notification} for the notifier of {@code kind}. */
    NotificationArgs(String kind, Notification notification) {
        this(kind + " notifier", notification.arguments());
    }

    /** Arguments whose errors start with {@code who} (such as {@code email operator}). */
    NotificationArgs(String who, Map<String, Object> arguments) {
        this.who = who;
        this.arguments = arguments;
    }

    Optional<Object> raw(String key) {
        return Optional.ofNullable(arguments.get(key));
    }

    Optional<String> string(String key) {
        return raw(key).map(String::valueOf).filter(s -> !s.isBlank());
    }

    String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    String required(String key, String hint) throws NotifierException {
        return string(key).orElseThrow(() -> fail("give " + key + " (" + hint + ")"));
    }

    Optional<Boolean> bool(String key) throws NotifierException {
        Optional<Object> value = raw(key);
        if (value.isEmpty() || value.get() instanceof Boolean) {
            return value.map(Boolean.class::cast);
        }
        return switch (String.valueOf(value.get()).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Optional.of(true);
            case "false", "no", "0" -> Optional.of(false);
            default -> throw fail(key + " must be true or false");
        };
    }

    /** A list or mapping given as itself, or as JSON text (what a rendered template gives). */
    Optional<Object> json(String key) throws NotifierException {
        Optional<Object> value = raw(key);
        if (value.isPresent() && value.get() instanceof CharSequence text) {
            String trimmed = text.toString().strip();
            if (trimmed.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(JSON.readValue(trimmed, Object.class));
            } catch (JsonProcessingException e) {
                throw fail(key + " is not valid JSON: "
                        + e.getOriginalMessage().lines().findFirst().orElse(""));
            }
        }
        return value;
    }

    Optional<Double> seconds(String key) throws NotifierException {
        Optional<Object> value = raw(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            double seconds = value.get() instanceof Number n
                    ? n.doubleValue()
                    : Double.parseDouble(String.valueOf(value.get()).strip());
            if (seconds > 0) {
                return Optional.of(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw fail(key + " must be a positive number of seconds");
    }

    NotifierException fail(String why) {
        return new NotifierException(who + ": " + why);
    }
}
