package dev.gust.core.external;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.store.connections.Connection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A connection's extra (a JSON object) read as Airflow's hooks read it: leniently, since a URI's
 * query makes every value a string ({@code ?disable_ssl=true}), and under either the plain key or
 * the older {@code extra__TYPE__key} form. Its error messages name the connection, never a value.
 */
public final class ConnectionExtra {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String connId;
    private final String connType;
    private final Map<String, Object> fields;

    private ConnectionExtra(String connId, String connType, Map<String, Object> fields) {
        this.connId = connId;
        this.connType = connType;
        this.fields = fields;
    }

    /**
     * The extra of {@code connection}.
     *
     * @throws IllegalArgumentException when the extra is not a JSON object
     */
    public static ConnectionExtra of(Connection connection) {
        String extra = connection.extra();
        if (extra == null || extra.isBlank()) {
            return new ConnectionExtra(connection.connId(), connection.connType(), Map.of());
        }
        try {
            Object parsed = JSON.readValue(extra, new TypeReference<Object>() {});
            if (parsed instanceof Map<?, ?>) {
                return new ConnectionExtra(
                        connection.connId(),
                        connection.connType(),
                        JSON.convertValue(parsed, new TypeReference<Map<String, Object>>() {}));
            }
        } catch (JsonProcessingException e) {
            // reported below, without the text: an extra holds secrets
        }
        throw new IllegalArgumentException("the extra of connection '" + connection.connId()
                + "' is not a JSON object; set it to one, such as {\"timeout\": 30}");
    }

    public Optional<Object> raw(String key) {
        Object value = fields.get(key);
        if (value == null && connType != null) {
            value = fields.get("extra__" + connType + "__" + key);
        }
        return Optional.ofNullable(value);
    }

    /** A non-blank text value. */
    public Optional<String> string(String key) {
        return raw(key).map(String::valueOf).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A yes/no value: JSON booleans, or true/false, yes/no, on/off, 1/0 as text. */
    public Optional<Boolean> bool(String key) {
        return raw(key).map(value -> {
            if (value instanceof Boolean b) {
                return b;
            }
            return switch (String.valueOf(value).strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0", "" -> false;
                default -> throw invalid(key, "true or false");
            };
        });
    }

    public boolean bool(String key, boolean defaultValue) {
        return bool(key).orElse(defaultValue);
    }

    /** A number of (whole) seconds or a count, as a JSON number or as text. */
    public Optional<Double> number(String key) {
        return raw(key).map(value -> {
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(String.valueOf(value).strip());
            } catch (NumberFormatException e) {
                throw invalid(key, "a number");
            }
        });
    }

    /** A nested object, such as AWS's {@code service_config}. */
    public Map<String, Object> map(String key) {
        return raw(key).map(value -> {
                    if (value instanceof Map<?, ?> map) {
                        return JSON.convertValue(map, new TypeReference<Map<String, Object>>() {});
                    }
                    throw invalid(key, "a JSON object");
                })
                .orElse(Map.of());
    }

    private IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException(
                "'" + key + "' in the extra of connection '" + connId + "' must be " + expected);
    }
}
