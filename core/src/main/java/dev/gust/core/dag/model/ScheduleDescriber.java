package dev.gust.core.dag.model;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.util.Locale;

/**
 * A short English description of a schedule for the UI and the CLI ("every 30 minutes",
 * "never (manual only)"); cron expressions are described by cron-utils.
 */
public final class ScheduleDescriber {

    private static final CronParser CRON_PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private ScheduleDescriber() {}

    public static String describe(Schedule schedule) {
        return switch (schedule) {
            case Schedule.None none -> "never (manual only)";
            case Schedule.Once once -> "once, at the start date";
            case Schedule.Cron cron -> describeCron(cron.expression());
            case Schedule.FixedInterval interval -> "every " + describe(interval.interval());
            case Schedule.Datasets datasets ->
                "when " + (datasets.uris().size() == 1 ? "dataset " : "datasets ")
                        + String.join(", ", datasets.uris()) + (datasets.uris().size() == 1 ? " is" : " are")
                        + " updated";
        };
    }

    private static String describeCron(String expression) {
        try {
            return CronDescriptor.instance(Locale.UK).describe(CRON_PARSER.parse(expression));
        } catch (RuntimeException e) {
            // a description is a convenience; an odd expression still shows as itself
            return "cron " + expression;
        }
    }

    static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return plural(seconds / 86_400, "day");
        } else if (seconds % 3_600 == 0) {
            return plural(seconds / 3_600, "hour");
        } else if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long amount, String unit) {
        return amount == 1 ? unit : amount + " " + unit + "s";
    }
}
