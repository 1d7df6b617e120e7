package dev.gust.core.dag.load;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Python objects dag-factory builds from a mapping with a {@code __type__} key (its
 * "custom Python objects": keyword arguments as keys, positional ones under {@code __args__})
 * for the types that stand for a date, a duration or a time zone: {@code datetime.timedelta}
 * (and pendulum's durations), {@code datetime.datetime}, {@code datetime.date},
 * {@code pendulum.datetime} / {@code pendulum.DateTime}, and {@code pendulum.timezone} /
 * {@code pendulum.Timezone} / {@code zoneinfo.ZoneInfo}. Works on plain values (see
 * {@link YamlValues#plain}) so that the scheduler reads operator arguments the same way. Any
 * other {@code __type__} is a Python object Gust cannot build.
 */
public final class DagFactoryObjects {

    static final String TYPE = "__type__";
    static final String ARGS = "__args__";

    private static final Set<String> DURATION_TYPES =
            Set.of("datetime.timedelta", "pendulum.duration", "pendulum.Duration");
    /** Python's timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks), in that order. */
    private static final List<String> DURATION_ARGS =
            List.of("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks");

    private static final Set<String> DATE_TIME_TYPES =
            Set.of("datetime.datetime", "pendulum.datetime", "pendulum.DateTime", "datetime.date", "pendulum.date");
    private static final List<String> DATE_TIME_ARGS =
            List.of("year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo");

    private static final Set<String> ZONE_TYPES = Set.of(
            "pendulum.timezone",
            "pendulum.Timezone",
            "pendulum.tz.timezone",
            "pendulum.tz.Timezone",
            "pendulum.tz.timezone.Timezone",
            "zoneinfo.ZoneInfo");

    private DagFactoryObjects() {}

    /** A date-time as written: local unless it names its own zone ({@code zone} is then not null). */
    record DateTime(LocalDateTime local, ZoneId zone) {}

    /** The {@code __type__} of {@code value}, or null when it is not such a mapping. */
    public static String typeOf(Object value) {
        return value instanceof Map<?, ?> map && map.get(TYPE) instanceof String type ? type : null;
    }

    static boolean isDuration(Object value) {
        String type = typeOf(value);
        return type != null && DURATION_TYPES.contains(type);
    }

    static boolean isDateTime(Object value) {
        String type = typeOf(value);
        return type != null && DATE_TIME_TYPES.contains(type);
    }

    static boolean isZone(Object value) {
        String type = typeOf(value);
        return type != null && ZONE_TYPES.contains(type);
    }

    /** The duration a {@code datetime.timedelta} mapping means. */
    static Duration duration(Map<?, ?> object) {
        String type = typeOf(object);
        Map<String, Object> args = arguments(object, DURATION_ARGS);
        BigDecimal nanos = BigDecimal.ZERO;
        for (Map.Entry<String, Object> arg : args.entrySet()) {
            long perUnit = switch (arg.getKey()) {
                case "days" -> 86_400_000_000_000L;
                case "seconds" -> 1_000_000_000L;
                case "microseconds" -> 1_000L;
                case "milliseconds" -> 1_000_000L;
                case "minutes" -> 60_000_000_000L;
                case "hours" -> 3_600_000_000_000L;
                case "weeks" -> 604_800_000_000_000L;
                default ->
                    throw new InvalidValue("(" + type + ") takes " + String.join(", ", DURATION_ARGS) + ", not '"
                            + arg.getKey() + "'");
            };
            nanos = nanos.add(number(type, arg.getKey(), arg.getValue()).multiply(BigDecimal.valueOf(perUnit)));
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /**
     * The date-time a {@code datetime.datetime}, {@code datetime.date} or {@code pendulum.datetime}
     * mapping means. A pendulum date-time without {@code tz} is read in the DAG's time zone, as
     * dag-factory puts every start date in it.
     */
    static DateTime dateTime(Map<?, ?> object) {
        String type = typeOf(object);
        boolean pendulumFunction = type.equals("pendulum.datetime");
        Map<String, Object> args = arguments(object, DATE_TIME_ARGS);
        Object tz = args.containsKey("tz") && pendulumFunction ? args.remove("tz") : args.remove("tzinfo");
        for (String key : args.keySet()) {
            if (!DATE_TIME_ARGS.contains(key)) {
                throw new InvalidValue("(" + type + ") takes year, month, day, hour, minute, second, microsecond and "
                        + (pendulumFunction ? "tz" : "tzinfo") + ", not '" + key + "'");
            }
        }
        if (type.endsWith("date")
                && args.keySet().stream()
                        .anyMatch(k -> !List.of("year", "month", "day").contains(k))) {
            throw new InvalidValue("(" + type + ") takes year, month and day only");
        }
        try {
            LocalDateTime local = LocalDateTime.of(
                    whole(type, "year", args.get("year")),
                    whole(type, "month", args.get("month")),
                    whole(type, "day", args.get("day")),
                    wholeOrZero(type, "hour", args.get("hour")),
                    wholeOrZero(type, "minute", args.get("minute")),
                    wholeOrZero(type, "second", args.get("second")),
                    wholeOrZero(type, "microsecond", args.get("microsecond")) * 1000);
            return new DateTime(local, tz == null ? null : zone(tz));
        } catch (DateTimeException e) {
            throw new InvalidValue("(" + type + ") is not a valid date: " + e.getMessage());
        }
    }

    /** The time zone a name or a {@code pendulum.timezone} mapping means. */
    static ZoneId zone(Object value) {
        String name;
        if (value instanceof Map<?, ?> object) {
            String type = typeOf(object);
            if (!isZone(object)) {
                throw new InvalidValue("must be a time zone name or a pendulum.timezone object, got "
                        + (type == null ? "a mapping" : "__type__ " + type));
            }
            Map<String, Object> args = arguments(object, List.of("name"));
            Object named = args.containsKey("name") ? args.get("name") : args.get("key");
            if (!(named instanceof String text) || args.size() != 1) {
                throw new InvalidValue("(" + type + ") takes one argument, the zone's name, e.g. 'name: Europe/Paris'");
            }
            name = text;
        } else if (value instanceof String text) {
            name = text;
        } else {
            throw new InvalidValue("must be a time zone name like 'Europe/Paris', got " + value);
        }
        String trimmed = name.trim();
        try {
            ZoneId zone = ZoneId.of(trimmed);
            return zone.getId().equals("Z") ? ZoneOffset.UTC : zone;
        } catch (DateTimeException e) {
            throw new InvalidValue("'" + trimmed + "' is not a known time zone; use a name like 'UTC', "
                    + "'Europe/Paris' or 'America/New_York'");
        }
    }

    /** Keyword arguments with the positional ones ({@code __args__}) named after {@code positional}. */
    private static Map<String, Object> arguments(Map<?, ?> object, List<String> positional) {
        Map<String, Object> args = new LinkedHashMap<>();
        Object raw = object.get(ARGS);
        if (raw != null) {
            if (!(raw instanceof List<?> list) || list.size() > positional.size()) {
                throw new InvalidValue("(" + typeOf(object) + ") __args__ must be a list of at most "
                        + positional.size() + " values: " + String.join(", ", positional));
            }
            for (int i = 0; i < list.size(); i++) {
                args.put(positional.get(i), list.get(i));
            }
        }
        for (Map.Entry<?, ?> entry : object.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.equals(TYPE) || key.equals(ARGS)) {
                continue;
            }
            if (args.containsKey(key)) {
                throw new InvalidValue("(" + typeOf(object) + ") gives '" + key + "' twice, in __args__ and by name");
            }
            args.put(key, entry.getValue());
        }
        return args;
    }

    private static BigDecimal number(String type, String key, Object value) {
        return switch (value) {
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            case Double d -> BigDecimal.valueOf(d);
            case BigInteger b -> new BigDecimal(b);
            case null, default -> throw new InvalidValue("(" + type + ") " + key + " must be a number, got " + value);
        };
    }

    private static int whole(String type, String key, Object value) {
        if (value == null) {
            throw new InvalidValue("(" + type + ") needs " + key);
        }
        if (value instanceof Integer i) {
            return i;
        }
        throw new InvalidValue("(" + type + ") " + key + " must be a whole number, got " + value);
    }

    private static int wholeOrZero(String type, String key, Object value) {
        return value == null ? 0 : whole(type, key, value);
    }

    /**
     * {@code value} with every date, duration and time zone object replaced by a plain value the
     * operators read (a duration by its seconds, a date-time by its ISO-8601 text in {@code zone},
     * a zone by its name); any other {@code __type__} is a Python object, which needs Python.
     */
    static Object plainArgument(Object value, ZoneId zone) {
        if (value instanceof Map<?, ?> map) {
            String type = typeOf(map);
            if (type != null) {
                if (isDuration(map)) {
                    Duration duration = duration(map);
                    return duration.getNano() == 0
                            ? (Object) duration.getSeconds()
                            : (Object) (duration.toNanos() / 1_000_000_000.0);
                }
                if (isDateTime(map)) {
                    DateTime dateTime = dateTime(map);
                    return dateTime.local()
                            .atZone(dateTime.zone() != null ? dateTime.zone() : zone)
                            .toOffsetDateTime()
                            .toString();
                }
                if (isZone(map)) {
                    return zone(map).getId();
                }
                throw new InvalidValue(
                        "is a Python object (__type__: " + type + "); this needs Python: " + NeedsPython.WHAT_TO_DO);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> result.put(String.valueOf(k), plainArgument(v, zone)));
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>(list.size());
            list.forEach(item -> result.add(plainArgument(item, zone)));
            return result;
        }
        return value;
    }
}
