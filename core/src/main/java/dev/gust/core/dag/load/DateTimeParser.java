package dev.gust.core.dag.load;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;

/**
 * Reads {@code start_date} and {@code end_date}: a date ({@code 2024-01-01}), a local date-time
 * ({@code 2024-01-01T06:00:00} or with a space), either read in the DAG's time zone, or a
 * date-time with an offset or a zone ({@code 2024-01-01T06:00:00+02:00},
 * {@code 2024-01-01T06:00:00[Europe/Paris]}), which stands for itself. The CLI reads its date
 * arguments with it too, in UTC.
 */
public final class DateTimeParser {

    private DateTimeParser() {}

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
    static ZoneId zoneOf(String text) {
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
