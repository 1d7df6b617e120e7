package dev.gust.core.dag.load;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads the durations DAG files use: whole or fractional seconds as a number, compact units
 * ({@code 90s}, {@code 5m}, {@code 1h30m}, {@code 2d}, {@code 1w}, {@code 500ms}), Python's
 * {@code timedelta(minutes=5)} as people copy it from Airflow DAGs, ISO-8601 ({@code PT5M}), and
 * dag-factory's {@code datetime.timedelta} object (a mapping with {@code __type__}, see
 * {@link DagFactoryObjects}).
 */
public final class DurationParser {

    private DurationParser() {}

    /** The duration {@code value} (a number of seconds or text) means; throws an unchecked exception whose message says what is wrong. */
    public static Duration parse(Object value) {
        return switch (value) {
            case Integer seconds -> Duration.ofSeconds(seconds);
            case Long seconds -> Duration.ofSeconds(seconds);
            case Double seconds -> Duration.ofMillis(Math.round(seconds * 1000));
            case String text -> parseText(text.trim());
            case Map<?, ?> object when DagFactoryObjects.isDuration(object) -> DagFactoryObjects.duration(object);
            case Map<?, ?> object ->
                throw new InvalidValue("must be a duration such as 300, '5m' or a datetime.timedelta object, got "
                        + (DagFactoryObjects.typeOf(object) == null
                                ? "a mapping"
                                : "__type__ " + DagFactoryObjects.typeOf(object)));
            case null -> throw new InvalidValue("must be a duration, got nothing");
            default -> throw new InvalidValue("must be a duration such as 300, '5m' or 'timedelta(minutes=5)'");
        };
    }

    private static Duration parseText(String text) {
        if (text.isEmpty()) {
            throw invalid(text);
        }
        if (text.startsWith("timedelta(") && text.endsWith(")")) {
            return parseTimedelta(text, text.substring("timedelta(".length(), text.length() - 1));
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        return parseCompact(text);
    }

    /** {@code 1h30m}, {@code 90s}, {@code 300}: numbers each followed by a unit (seconds if none). */
    private static Duration parseCompact(String text) {
        Duration total = Duration.ZERO;
        int i = 0;
        int n = text.length();
        boolean any = false;
        while (i < n) {
            int start = i;
            while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw invalid(text);
            }
            String number = text.substring(start, i);
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            int unitStart = i;
            while (i < n && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String unit = text.substring(unitStart, i).toLowerCase();
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            total = total.plus(amount(text, number, unit.isEmpty() ? "s" : unit));
            any = true;
        }
        if (!any) {
            throw invalid(text);
        }
        return total;
    }

    private static Duration parseTimedelta(String original, String arguments) {
        Duration total = Duration.ZERO;
        if (arguments.isBlank()) {
            return total;
        }
        for (String argument : arguments.split(",")) {
            int eq = argument.indexOf('=');
            if (eq < 0) {
                // timedelta(1) means one day, as in Python
                total = total.plus(amount(original, argument.trim(), "days"));
                continue;
            }
            total = total.plus(amount(
                    original,
                    argument.substring(eq + 1).trim(),
                    argument.substring(0, eq).trim()));
        }
        return total;
    }

    private static Duration amount(String original, String number, String unit) {
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw invalid(original);
        }
        long nanosPerUnit = switch (unit) {
            case "ms", "millisecond", "milliseconds" -> 1_000_000L;
            case "us", "microsecond", "microseconds" -> 1_000L;
            case "s", "sec", "secs", "second", "seconds" -> 1_000_000_000L;
            case "m", "min", "mins", "minute", "minutes" -> 60_000_000_000L;
            case "h", "hr", "hrs", "hour", "hours" -> 3_600_000_000_000L;
            case "d", "day", "days" -> 86_400_000_000_000L;
            case "w", "week", "weeks" -> 604_800_000_000_000L;
            default -> throw invalid(original);
        };
        return Duration.ofNanos(value.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    }

    private static InvalidValue invalid(String text) {
        return new InvalidValue(
                "must be a duration such as 300 (seconds), '5m', '1h30m' or 'timedelta(minutes=5)', got '" + text
                        + "'");
    }
}
