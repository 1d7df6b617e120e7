package dev.gust.core.dag.load;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code start_date} and {@code end_date}: a date ({@code 2024-01-01}), a local date-time
 * ({@code 2024-01-01T06:00:00} or with a space), either read in the DAG's time zone, or a
 * date-time with an offset or a zone ({@code 2024-01-01T06:00:00+02:00},
 * {@code 2024-01-01T06:00:00[Europe/Paris]}), which stands for itself. In DAG files also
 * dag-factory's relative dates ({@code 2 days}: that long before today's midnight in the DAG's
 * time zone) and its {@code datetime.datetime} / {@code pendulum.datetime} objects (see
 * {@link DagFactoryObjects}). The CLI reads its date arguments with it too, in UTC.
 */
public final class DateTimeParser {

    /**
     * dag-factory's relative dates: a whole number of days, hours, minutes or seconds, counted
     * back. Its own pattern also matches odd concatenations ("1 hour2 minute") and ignores what
     * follows the first match ("1 hours 30 minutes" is one hour there), so anything beyond one
     * amount is refused here rather than read differently.
     */
    private static final Pattern RELATIVE =
            Pattern.compile("(\\d+)\\s+(day|hour|minute|second)s?(\\s+ago)?", Pattern.CASE_INSENSITIVE);

    private DateTimeParser() {}

    /**
     * A DAG file's date: text as {@link #parse(String, ZoneId)} reads it, a relative date counted
     * back from today's midnight in {@code zone} (today by {@code clock}), or a date-time object.
     */
    static Instant parse(Object value, ZoneId zone, Clock clock) {
        if (value instanceof Map<?, ?> object && DagFactoryObjects.isDateTime(object)) {
            DagFactoryObjects.DateTime dateTime = DagFactoryObjects.dateTime(object);
            return dateTime.local()
                    .atZone(dateTime.zone() != null ? dateTime.zone() : zone)
                    .toInstant();
        }
        if (value instanceof String text) {
            Matcher relative = RELATIVE.matcher(text.trim());
            if (relative.matches()) {
                return relative(
                        Long.parseLong(relative.group(1)), relative.group(2).toLowerCase(), zone, clock);
            }
            try {
                return parse(text, zone);
            } catch (InvalidValue e) {
                throw new InvalidValue("must be a date like 2024-01-01 or 2024-01-01T06:00:00 (optionally with an "
                        + "offset like +02:00), or a relative date like '2 days', got '" + text + "'");
            }
        }
        throw new InvalidValue("must be a date like 2024-01-01, a relative date like '2 days' or a datetime.datetime"
                + " object, got "
                + (DagFactoryObjects.typeOf(value) != null ? "__type__ " + DagFactoryObjects.typeOf(value) : value));
    }

    private static Instant relative(long amount, String unit, ZoneId zone, Clock clock) {
        ZonedDateTime midnight = LocalDate.now(clock.withZone(zone)).atStartOfDay(zone);
        return switch (unit) {
            case "day" -> midnight.toInstant().minus(Duration.ofDays(amount));
            case "hour" -> midnight.toInstant().minus(Duration.ofHours(amount));
            case "minute" -> midnight.toInstant().minus(Duration.ofMinutes(amount));
            default -> midnight.toInstant().minus(Duration.ofSeconds(amount));
        };
    }

    /** The zone a zoned date-time object or text names, or null when it names none. */
    static ZoneId zoneOf(Object value) {
        if (value instanceof Map<?, ?> object && DagFactoryObjects.isDateTime(object)) {
            try {
                return DagFactoryObjects.dateTime(object).zone();
            } catch (InvalidValue e) {
                return null; // reported when the date itself is read
            }
        }
        return value instanceof String text ? zoneOf(text) : null;
    }

    public static Instant parse(String text, ZoneId zone) {
        String normalized = normalize(text);
        try {
            if (normalized.length() == 10) {
                return LocalDate.parse(normalized).atStartOfDay(zone).toInstant();
            }
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(normalized);
            ZoneId own = parsed.query(TemporalQueries.zone());
            return LocalDateTime.from(parsed).atZone(own != null ? own : zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidValue("must be a date like 2024-01-01 or 2024-01-01T06:00:00 (optionally with an offset "
                    + "like +02:00), got '" + text + "'");
        }
    }

    /** The zone or offset written in the date-time, or null when it has none or does not parse. */
    private static ZoneId zoneOf(String text) {
        String normalized = normalize(text);
        if (normalized.length() <= 10) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_DATE_TIME.parse(normalized).query(TemporalQueries.zone());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String normalize(String text) {
        String trimmed = text.trim();
        if (trimmed.length() > 10 && trimmed.charAt(10) == ' ') {
            trimmed = trimmed.substring(0, 10) + 'T' + trimmed.substring(11);
        }
        // YAML timestamps allow a space before the offset: 2024-01-01 06:00:00 +02:00
        int space = trimmed.lastIndexOf(' ');
        if (space > 10) {
            trimmed = trimmed.substring(0, space) + trimmed.substring(space + 1);
        }
        return trimmed;
    }
}
