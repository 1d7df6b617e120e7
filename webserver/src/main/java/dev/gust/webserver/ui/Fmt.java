package dev.gust.webserver.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formatting helpers the templates call ({@code fmt.time(run.startDate)}): times in UTC,
 * durations in words, path segments encoded. They return plain text; Pebble escapes it.
 */
public final class Fmt {

    static final Fmt INSTANCE = new Fmt();

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** The time between two instants (the second null = still going, counted to now). */
    public String duration(Instant start, Instant end) {
        if (start == null) {
            return "";
        }
        return seconds(
                Duration.between(start, end == null ? Instant.now() : end).toMillis() / 1000.0);
    }

    public String seconds(Double seconds) {
        if (seconds == null) {
            return "";
        }
        long whole = Math.round(seconds);
        if (whole < 60) {
            return String.format(java.util.Locale.ROOT, "%.1fs", seconds);
        }
        return whole >= 3600
                ? "%dh %02dm %02ds".formatted(whole / 3600, whole % 3600 / 60, whole % 60)
                : "%dm %02ds".formatted(whole / 60, whole % 60);
    }

    /** One path segment, encoded so that run ids like {@code manual__2024-01-01T00:00:00+00:00} survive. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Template access to {@link #segment}. */
    public String path(String value) {
        return segment(value);
    }
}
