package dev.gust.cli.common;

import dev.gust.core.dag.load.DateTimeParser;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A date argument of a command ({@code --logical-date}, {@code --start-date}, ...), read by the
 * rule DAG files' dates follow ({@link DateTimeParser}) in UTC; a refusal is a usage error (exit 2).
 */
public final class DateArgument {

    private DateArgument() {}

    /** An ISO date (midnight UTC) or date-time (UTC when it names no offset); {@code what} names the argument. */
    public static Instant parse(String text, String what) {
        try {
            return DateTimeParser.parse(text, ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw new UserError(
                    what + " '" + text + "' is not a date; write 2024-01-31 or 2024-01-31T06:00:00+00:00", 2);
        }
    }
}
