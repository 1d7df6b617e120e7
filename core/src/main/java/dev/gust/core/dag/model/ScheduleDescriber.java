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

    /**
     * The schedule in words, a cron one in the zone it runs in: its own, else the DAG's
     * ({@code dagZone}), and saying which ("at 06:00 (Europe/Paris)", "at 06:00 (UTC)").
     */
    public static String describe(Schedule schedule, java.time.ZoneId dagZone) {
        if (schedule instanceof Schedule.Cron cron && cron.timezone() == null && dagZone != null) {
            return describe(new Schedule.Cron(cron.expression(), cron.preset(), dagZone));
        }
        return describe(schedule);
    }

    public static String describe(Schedule schedule) {
        return switch (schedule) {
            case Schedule.None none -> "never (manual only)";
            case Schedule.Once once -> "once, at the start date";
            case Schedule.Cron cron ->
                describeCron(cron.expression()) + (cron.timezone() != null ? " (" + cron.timezone() + ")" : "");
            case Schedule.FixedInterval interval -> "every " + describe(interval.interval());
            case Schedule.Datasets datasets
            when datasets.condition() != null ->
                "when datasets " + datasets.condition().describe() + " are updated";
            case Schedule.Datasets datasets ->
                "when " + (datasets.uris().size() == 1 ? "dataset " : "datasets ")
                        + String.join(", ", datasets.uris()) + (datasets.uris().size() == 1 ? " is" : " are")
                        + " updated";
            case Schedule.CronTrigger trigger ->
                String.join(
                                "; ",
                                trigger.expressions().stream()
                                        .map(ScheduleDescriber::describeCron)
                                        .toList()) + " (" + trigger.timezone() + ")" + covering(trigger.interval());
            case Schedule.DeltaTrigger trigger -> "every " + describe(trigger.delta()) + covering(trigger.interval());
            case Schedule.Events events -> describeEvents(events);
            case Schedule.DatasetsOrTime either ->
                describe(either.timetable()) + ", or "
                        + describe(new Schedule.Datasets(either.uris(), either.condition()));
        };
    }

    private static String covering(Duration interval) {
        return interval.isZero() ? "" : ", each run covering the " + describe(interval) + " before it";
    }

    // Airflow's own wording for an EventsTimetable without a description
    private static String describeEvents(Schedule.Events events) {
        if (events.description() != null) {
            return events.description();
        }
        if (events.dates().isEmpty()) {
            return "No events";
        }
        return events.dates().size() + " events between " + events.dates().getFirst() + " and "
                + events.dates().getLast();
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
