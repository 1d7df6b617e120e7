package dev.gust.scheduler.operators;

import dev.gust.core.dag.load.DurationParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of an operator's rendered arguments. Templates render to text, so every reader
 * also accepts the text form of its type ({@code "60"} for a number, {@code "true"} for a
 * boolean, {@code "a, b"} for a list). A value of the wrong form is an
 * {@link InvalidArgumentException} whose message names the argument and the expected form.
 */
public record OperatorArgs(Map<String, Object> values) {

    public OperatorArgs {
        values = values == null ? Map.of() : values;
    }

    public static OperatorArgs of(TaskRunContext context) {
        return new OperatorArgs(context.args());
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public Object raw(String name) {
        return values.get(name);
    }

    public Optional<String> string(String name) {
        Object value = values.get(name);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    public String string(String name, String fallback) {
        return string(name).orElse(fallback);
    }

    public String requiredString(String name) {
        return string(name)
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new InvalidArgumentException("argument '" + name + "' is required"));
    }

    public boolean bool(String name, boolean fallback) {
        Object value = values.get(name);
        return switch (value) {
            case null -> fallback;
            case Boolean b -> b;
            case String s when s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes") || s.equals("1") -> true;
            case String s when s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no") || s.equals("0") -> false;
            default -> throw invalid(name, "true or false", value);
        };
    }

    public Optional<Integer> integer(String name) {
        Object value = values.get(name);
        return switch (value) {
            case null -> Optional.empty();
            case Integer i -> Optional.of(i);
            case Long l when l == l.intValue() -> Optional.of(l.intValue());
            case String s when s.trim().matches("-?\\d+") -> Optional.of(Integer.parseInt(s.trim()));
            default -> throw invalid(name, "a whole number", value);
        };
    }

    public int integer(String name, int fallback) {
        return integer(name).orElse(fallback);
    }

    /** A number of seconds, {@code "5m"}, {@code "timedelta(minutes=5)"} or ISO-8601, as in DAG files. */
    public Optional<Duration> duration(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            Object parsed =
                    value instanceof String s && s.trim().matches("\\d+(\\.\\d+)?") ? Double.valueOf(s.trim()) : value;
            return Optional.of(DurationParser.parse(parsed));
        } catch (RuntimeException e) {
            throw invalid(name, "a duration such as 60, '5m' or 'timedelta(minutes=5)'", value);
        }
    }

    public Duration duration(String name, Duration fallback) {
        return duration(name).orElse(fallback);
    }

    /** An ISO-8601 instant; a date or a local date-time without offset is read as UTC. */
    public Optional<Instant> instant(String name) {
        Optional<String> text = string(name).map(String::trim).filter(s -> !s.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String s = text.get();
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException notOffset) {
            try {
                return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notLocal) {
                try {
                    return Optional.of(LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException notDate) {
                    throw invalid(name, "an ISO-8601 date-time such as 2024-01-01T00:00:00Z", s);
                }
            }
        }
    }

    /** A list, or text split on commas and whitespace; empty when absent. */
    public List<String> stringList(String name) {
        Object value = values.get(name);
        return switch (value) {
            case null -> List.of();
            case List<?> list ->
                list.stream()
                        .filter(v -> v != null)
                        .map(Object::toString)
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
            default -> splitWords(value.toString());
        };
    }

    public List<String> stringList(String name, List<String> fallback) {
        return has(name) ? stringList(name) : fallback;
    }

    /** One whole number or a list of them; {@code fallback} when absent. */
    public List<Integer> intList(String name, List<Integer> fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        List<?> items = value instanceof List<?> list ? list : splitWords(value.toString());
        List<Integer> numbers = new ArrayList<>();
        for (Object item : items) {
            String text = item.toString().trim();
            if (!text.matches("-?\\d+")) {
                throw invalid(name, "a whole number or a list of them", value);
            }
            numbers.add(Integer.parseInt(text));
        }
        return List.copyOf(numbers);
    }

    /** A mapping, as written in the DAG file; empty when absent. */
    public Map<String, Object> map(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(name, "a mapping", value);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    /** Text split on commas and whitespace, the form branch ids and state lists take when rendered. */
    public static List<String> splitWords(String text) {
        return Arrays.stream(text.trim().split("[,\\s]+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static InvalidArgumentException invalid(String name, String expected, Object value) {
        return new InvalidArgumentException("argument '" + name + "' must be " + expected + ", got '" + value + "'");
    }
}
