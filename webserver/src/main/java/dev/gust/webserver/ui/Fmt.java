package dev.gust.webserver.ui;

import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one place the UI formats times and durations, called by the templates
 * ({@code fmt.when(run.startDate)}) and by pages that build facts. A time is written in UTC and
 * says so, inside a {@code <time datetime="...">} element: {@code times.js} rewrites it into the
 * zone the user picked in the top bar (UTC, the browser's, the DAG's), and without JavaScript the
 * UTC text stands. Durations are in words ({@code 1h 02m 03s}), never ISO's {@code PT1H2M3S}.
 * Everything is built from instants and numbers, never from user text, which is what makes the
 * HTML ones safe to hand to Pebble unescaped.
 */
public final class Fmt {

    static final Fmt INSTANCE = new Fmt(Clock.systemUTC());

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Clock clock;

    Fmt(Clock clock) {
        this.clock = clock;
    }

    /** Plain text without the zone, for tooltips and attributes whose text says UTC beside it. */
    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** Plain text with the zone ({@code 2024-01-31 06:00:00 UTC}), for tooltips and attributes. */
    public String utc(Instant instant) {
        return instant == null ? "" : TIME.format(instant) + " UTC";
    }

    /** A time as HTML: {@code <time datetime="2024-01-31T06:00:00Z">2024-01-31 06:00:00 UTC</time>}. */
    public SafeString when(Instant instant) {
        if (instant == null) {
            return new SafeString("");
        }
        return new SafeString("<time class=\"ts\" datetime=\"" + instant + "\">" + utc(instant) + "</time>");
    }

    /** A time as "3 min ago" (or "in 3 min"), the absolute time on hover; HTML like {@link #when}. */
    public SafeString ago(Instant instant) {
        if (instant == null) {
            return new SafeString("");
        }
        return new SafeString("<time class=\"ts ago\" datetime=\"" + instant + "\" title=\"" + utc(instant) + "\">"
                + relative(instant) + "</time>");
    }

    /** "3 min ago", "in 2 h", "just now": the words {@link #ago} shows and {@code times.js} keeps fresh. */
    public String relative(Instant instant) {
        if (instant == null) {
            return "";
        }
        long seconds = Duration.between(instant, clock.instant()).toSeconds();
        boolean future = seconds < 0;
        long s = Math.abs(seconds);
        String words;
        if (s < 10) {
            return "just now";
        } else if (s < 60) {
            words = s + " s";
        } else if (s < 3600) {
            words = s / 60 + " min";
        } else if (s < 86400) {
            words = s / 3600 + " h";
        } else {
            long days = s / 86400;
            words = days + (days == 1 ? " day" : " days");
        }
        return future ? "in " + words : words + " ago";
    }

    /** The time between two instants (the second null = still going, counted to now). */
    public String duration(Instant start, Instant end) {
        if (start == null) {
            return "";
        }
        return seconds(
                Duration.between(start, end == null ? clock.instant() : end).toMillis() / 1000.0);
    }

    /** A configured length of time (a timeout, a retry delay) in words. */
    public String span(Duration duration) {
        return duration == null ? "" : seconds(duration.toMillis() / 1000.0);
    }

    public String seconds(Double seconds) {
        if (seconds == null) {
            return "";
        }
        long whole = Math.round(seconds);
        if (whole < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        if (whole >= 86400) {
            return "%dd %02dh %02dm".formatted(whole / 86400, whole % 86400 / 3600, whole % 3600 / 60);
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
