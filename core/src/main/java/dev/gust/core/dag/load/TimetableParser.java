package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Schedule;
import dev.gust.core.text.NameSuggester;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a timetable written the way dag-factory writes Python objects: {@code __type__} with the
 * class path, its positional arguments under {@code __args__} and its keyword arguments as the
 * other keys, or dag-factory's older {@code callable} with {@code params}. Airflow's built-in
 * timetables (cron and delta triggers, cron and delta data intervals, events, once, none) become
 * the {@link Schedule} they stand for, their arguments checked against Airflow's signatures;
 * any other class is an error naming it, and one outside Airflow is a custom timetable, which
 * needs Python.
 */
final class TimetableParser {

    private static final String TYPE = "__type__";
    private static final String ARGS = "__args__";

    /** A timetable class: its arguments in Airflow's order, how many may be positional, and whether the first is {@code *args}. */
    private record Signature(String name, List<String> parameters, int positional, boolean variadic) {}

    private static final Signature CRON_TRIGGER =
            new Signature("CronTriggerTimetable", List.of("cron", "timezone", "interval", "run_immediately"), 1, false);
    private static final Signature MULTIPLE_CRON_TRIGGER = new Signature(
            "MultipleCronTriggerTimetable", List.of("crons", "timezone", "interval", "run_immediately"), 1, true);
    private static final Signature CRON_DATA_INTERVAL =
            new Signature("CronDataIntervalTimetable", List.of("cron", "timezone"), 2, false);
    private static final Signature DELTA_DATA_INTERVAL =
            new Signature("DeltaDataIntervalTimetable", List.of("delta"), 1, false);
    private static final Signature DELTA_TRIGGER =
            new Signature("DeltaTriggerTimetable", List.of("delta", "interval"), 1, false);
    private static final Signature EVENTS = new Signature(
            "EventsTimetable", List.of("event_dates", "restrict_to_events", "presorted", "description"), 4, false);
    private static final Signature NULL = new Signature("NullTimetable", List.of(), 0, false);
    private static final Signature ONCE = new Signature("OnceTimetable", List.of(), 0, false);
    private static final Signature TIMEDELTA = new Signature(
            "timedelta",
            List.of("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"),
            7,
            false);

    /** Every class path a DAG file may name, Airflow 2's modules and Airflow 3's {@code airflow.sdk}. */
    private static final Map<String, Signature> CLASSES = classes();

    private TimetableParser() {}

    private static Map<String, Signature> classes() {
        Map<String, Signature> classes = new LinkedHashMap<>();
        for (Signature trigger : List.of(CRON_TRIGGER, MULTIPLE_CRON_TRIGGER, DELTA_TRIGGER)) {
            classes.put("airflow.timetables.trigger." + trigger.name(), trigger);
        }
        for (Signature interval : List.of(CRON_DATA_INTERVAL, DELTA_DATA_INTERVAL)) {
            classes.put("airflow.timetables.interval." + interval.name(), interval);
        }
        classes.put("airflow.timetables.events.EventsTimetable", EVENTS);
        classes.put("airflow.timetables.simple.NullTimetable", NULL);
        classes.put("airflow.timetables.simple.OnceTimetable", ONCE);
        for (Signature any : List.of(
                CRON_TRIGGER, MULTIPLE_CRON_TRIGGER, DELTA_TRIGGER, CRON_DATA_INTERVAL, DELTA_DATA_INTERVAL, EVENTS)) {
            classes.put("airflow.sdk." + any.name(), any);
        }
        classes.put("datetime.timedelta", TIMEDELTA);
        return Map.copyOf(classes);
    }

    /** Whether {@code mapping} is a Python object in dag-factory's notation rather than a mapping of settings. */
    static boolean isObject(MappingNode mapping) {
        return keyOf(mapping, TYPE) != null || keyOf(mapping, "callable") != null;
    }

    /** The schedule a timetable object stands for; naive dates in it are read in {@code zone}. */
    static Schedule parse(MappingNode mapping, ZoneId zone) {
        Call call = Call.of(mapping);
        Signature signature = CLASSES.get(call.path());
        if (signature == null) {
            throw new InvalidValue(unknownClass(call.path()));
        }
        Map<String, Node> arguments = call.bind(signature);
        return switch (signature.name()) {
            case "CronTriggerTimetable", "MultipleCronTriggerTimetable" -> cronTrigger(signature, arguments);
            case "CronDataIntervalTimetable" -> {
                String expression = cron(required(signature, arguments, "cron"));
                ZoneId timezone = zone(required(signature, arguments, "timezone"));
                yield new Schedule.Cron(expression, null, timezone);
            }
            case "DeltaDataIntervalTimetable" ->
                new Schedule.FixedInterval(
                        positive(signature, "delta", duration(required(signature, arguments, "delta"))));
            case "DeltaTriggerTimetable" ->
                new Schedule.DeltaTrigger(
                        positive(signature, "delta", duration(required(signature, arguments, "delta"))),
                        interval(signature, arguments));
            case "EventsTimetable" -> events(signature, arguments, zone);
            case "NullTimetable" -> new Schedule.None();
            case "OnceTimetable" -> new Schedule.Once();
            case "timedelta" -> new Schedule.FixedInterval(positive(signature, "interval", timedelta(arguments)));
            default -> throw new IllegalStateException("no reader for " + signature.name());
        };
    }

    private static String unknownClass(String path) {
        String supported = "Airflow's CronTriggerTimetable, MultipleCronTriggerTimetable, CronDataIntervalTimetable, "
                + "DeltaTriggerTimetable, DeltaDataIntervalTimetable, EventsTimetable, OnceTimetable and NullTimetable";
        if (path.equals("airflow.timetables.simple.ContinuousTimetable")) {
            return "'" + path + "' (@continuous) is not supported: Gust starts runs on a schedule, not back to back; "
                    + "use a short cron or interval schedule";
        }
        if (path.equals("dateutil.relativedelta.relativedelta")) {
            return "'" + path + "' (a calendar-aware interval) is not supported; use a cron expression such as "
                    + "'0 0 1 * *' or a timedelta";
        }
        if (path.startsWith("airflow.") || path.startsWith("datetime.")) {
            return "'" + path + "' is not a timetable Gust knows" + NameSuggester.hint(path, CLASSES.keySet())
                    + "; it supports " + supported;
        }
        return "'" + path + "' is a custom timetable, which needs Python: Gust cannot run Python yet, so this DAG "
                + "cannot load; use one of " + supported + ", or keep the DAG in Airflow for now";
    }

    private static Schedule cronTrigger(Signature signature, Map<String, Node> arguments) {
        List<String> expressions = new ArrayList<>();
        if (signature.variadic()) {
            Node crons = arguments.get("crons");
            if (crons instanceof SequenceNode sequence) {
                sequence.getValue().forEach(node -> expressions.add(cron(node)));
            }
            if (expressions.isEmpty()) {
                throw new InvalidValue(signature.name() + " needs at least one cron expression in __args__");
            }
        } else {
            expressions.add(cron(required(signature, arguments, "cron")));
        }
        ZoneId timezone = zone(required(signature, arguments, "timezone"));
        Node runImmediately = arguments.get("run_immediately");
        boolean always = false;
        Duration within = null;
        if (runImmediately != null) {
            if (YamlValues.isNull(runImmediately)) {
                throw new InvalidValue(signature.name() + "'s run_immediately: null (within a tenth of the time "
                        + "between runs) is not supported; use true, false or a timedelta");
            }
            if (runImmediately instanceof ScalarNode scalar && YamlValues.plain(scalar) instanceof Boolean b) {
                always = b;
            } else {
                within = duration(runImmediately);
            }
        }
        return new Schedule.CronTrigger(expressions, timezone, interval(signature, arguments), always, within);
    }

    private static Schedule events(Signature signature, Map<String, Node> arguments, ZoneId zone) {
        Node dates = required(signature, arguments, "event_dates");
        List<Instant> events = new ArrayList<>();
        for (Node item : items(dates, "event_dates")) {
            events.add(dateTime(item, zone));
        }
        Node description = arguments.get("description");
        // presorted only spares Python a sort; the events are sorted either way
        if (arguments.get("presorted") != null) {
            YamlValues.bool(arguments.get("presorted"));
        }
        return new Schedule.Events(
                events,
                arguments.get("restrict_to_events") != null && YamlValues.bool(arguments.get("restrict_to_events")),
                description == null || YamlValues.isNull(description) ? null : YamlValues.string(description));
    }

    private static Duration interval(Signature signature, Map<String, Node> arguments) {
        Node interval = arguments.get("interval");
        if (interval == null) {
            return Duration.ZERO;
        }
        Duration duration = duration(interval);
        if (duration.isNegative()) {
            throw new InvalidValue(signature.name() + "'s interval must not be negative");
        }
        return duration;
    }

    private static Duration positive(Signature signature, String argument, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidValue(signature.name() + "'s " + argument + " must be longer than zero");
        }
        return duration;
    }

    private static Node required(Signature signature, Map<String, Node> arguments, String name) {
        Node node = arguments.get(name);
        if (node == null || YamlValues.isNull(node)) {
            throw new InvalidValue(signature.name() + " needs '" + name + "'" + example(name));
        }
        return node;
    }

    private static String example(String name) {
        return switch (name) {
            case "timezone" -> " (e.g. timezone: UTC or timezone: Europe/Paris)";
            case "cron" -> " (e.g. cron: '0 6 * * *')";
            case "delta" -> " (e.g. delta: {__type__: datetime.timedelta, hours: 1})";
            case "event_dates" -> " (a list of date-times)";
            default -> "";
        };
    }

    private static String cron(Node node) {
        String text = YamlValues.string(node).trim();
        if (text.equals("@once")) {
            throw new InvalidValue("a cron timetable cannot take '@once'; use schedule: '@once'");
        }
        if (text.startsWith("@")) {
            String expression = ScheduleParser.PRESETS.get(text);
            if (expression == null) {
                throw new InvalidValue("has an unknown preset '" + text + "'; valid presets are "
                        + String.join(
                                ", ",
                                ScheduleParser.PRESETS.keySet().stream()
                                        .sorted()
                                        .toList()));
            }
            return expression;
        }
        return ScheduleParser.cron(text);
    }

    /** A time zone: its name, or a {@code pendulum.timezone} / {@code zoneinfo.ZoneInfo} object. */
    private static ZoneId zone(Node node) {
        Node name = node;
        if (node instanceof MappingNode mapping && isObject(mapping)) {
            Call call = Call.of(mapping);
            if (!Set.of("pendulum.timezone", "pendulum.tz.timezone", "zoneinfo.ZoneInfo")
                    .contains(call.path())) {
                throw new InvalidValue("a time zone must be a name such as 'UTC' or 'Europe/Paris', or "
                        + "pendulum.timezone / zoneinfo.ZoneInfo, got '" + call.path() + "'");
            }
            name = call.bind(new Signature(call.path(), List.of("name"), 1, false))
                    .get("name");
            if (name == null) {
                throw new InvalidValue(call.path() + " needs the zone's name, e.g. __args__: [Europe/Paris]");
            }
        }
        String text = YamlValues.string(name).trim();
        try {
            ZoneId zone = ZoneId.of(text);
            return zone.getId().equals("Z") ? ZoneOffset.UTC : zone;
        } catch (DateTimeException e) {
            throw new InvalidValue("'" + text + "' is not a known time zone; use a name like 'UTC', 'Europe/Paris' "
                    + "or 'America/New_York'");
        }
    }

    /**
     * A duration: what {@link DurationParser} reads ({@code 3600}, {@code 1h}, {@code timedelta(hours=1)}),
     * or dag-factory's {@code __type__: datetime.timedelta} object.
     */
    private static Duration duration(Node node) {
        if (node instanceof MappingNode mapping && isObject(mapping)) {
            Call call = Call.of(mapping);
            if (!call.path().equals("datetime.timedelta")) {
                throw new InvalidValue("a duration must be a datetime.timedelta, got '" + call.path() + "'"
                        + (call.path().contains("relativedelta")
                                ? " (calendar-aware intervals are not supported)"
                                : ""));
            }
            return timedelta(call.bind(TIMEDELTA));
        }
        return DurationParser.parse(YamlValues.plain(node));
    }

    private static Duration timedelta(Map<String, Node> arguments) {
        Duration total = Duration.ZERO;
        for (Map.Entry<String, Node> argument : arguments.entrySet()) {
            Object value = YamlValues.plain(argument.getValue());
            BigDecimal amount;
            try {
                amount = new BigDecimal(String.valueOf(value));
            } catch (NumberFormatException e) {
                throw new InvalidValue("timedelta's " + argument.getKey() + " must be a number, got '" + value + "'");
            }
            long nanosPerUnit = switch (argument.getKey()) {
                case "weeks" -> 604_800_000_000_000L;
                case "days" -> 86_400_000_000_000L;
                case "hours" -> 3_600_000_000_000L;
                case "minutes" -> 60_000_000_000L;
                case "seconds" -> 1_000_000_000L;
                case "milliseconds" -> 1_000_000L;
                default -> 1_000L;
            };
            total = total.plusNanos(
                    amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
        }
        return total;
    }

    /**
     * A date-time: text read by {@link DateTimeParser} (naive ones in the DAG's zone), or a
     * {@code datetime.datetime} (naive unless {@code tzinfo}) or {@code pendulum.datetime} (UTC
     * unless {@code tz}) object.
     */
    private static Instant dateTime(Node node, ZoneId zone) {
        if (!(node instanceof MappingNode mapping && isObject(mapping))) {
            return DateTimeParser.parse(YamlValues.string(node), zone);
        }
        Call call = Call.of(mapping);
        String zoneKey = switch (call.path()) {
            case "datetime.datetime" -> "tzinfo";
            case "pendulum.datetime", "pendulum.DateTime" -> "tz";
            default ->
                throw new InvalidValue("a date must be a date-time such as 2024-01-01T06:00:00, a datetime.datetime "
                        + "or a pendulum.datetime, got '" + call.path() + "'");
        };
        Map<String, Node> parts = call.bind(new Signature(
                call.path(),
                List.of("year", "month", "day", "hour", "minute", "second", "microsecond", zoneKey),
                8,
                false));
        int[] fields = new int[7];
        List<String> names = List.of("year", "month", "day", "hour", "minute", "second", "microsecond");
        for (int i = 0; i < names.size(); i++) {
            Node part = parts.get(names.get(i));
            if (part == null && i < 3) {
                throw new InvalidValue(call.path() + " needs '" + names.get(i) + "'");
            }
            fields[i] = part == null ? 0 : YamlValues.integer(part);
        }
        Node ownZone = parts.get(zoneKey);
        ZoneId in = ownZone != null ? zone(ownZone) : zoneKey.equals("tz") ? ZoneOffset.UTC : zone;
        try {
            return LocalDateTime.of(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6] * 1000)
                    .atZone(in)
                    .toInstant();
        } catch (DateTimeException e) {
            throw new InvalidValue(call.path() + " is not a valid date: " + e.getMessage());
        }
    }

    /** The items of a list, written as a YAML sequence or as dag-factory's {@code builtins.list} with {@code items}. */
    private static List<Node> items(Node node, String what) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        if (node instanceof MappingNode mapping && "builtins.list".equals(scalarValue(keyOf(mapping, TYPE)))) {
            Node items = keyOf(mapping, "items");
            if (items instanceof SequenceNode sequence) {
                return sequence.getValue();
            }
        }
        throw new InvalidValue(what + " must be a list, got " + YamlValues.describe(node));
    }

    private static Node keyOf(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar
                    && scalar.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static String scalarValue(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /** A Python call as dag-factory writes it: the class path, positional and keyword arguments. */
    private record Call(String path, List<Node> positional, Map<String, Node> keywords) {

        static Call of(MappingNode mapping) {
            String path = null;
            List<Node> positional = List.of();
            Map<String, Node> keywords = new LinkedHashMap<>();
            boolean callableForm = keyOf(mapping, TYPE) == null;
            for (NodeTuple tuple : mapping.getValue()) {
                String key = scalarValue(tuple.getKeyNode());
                Node value = tuple.getValueNode();
                if (key == null) {
                    throw new InvalidValue("has a key that is not plain text");
                }
                if (callableForm) {
                    switch (key) {
                        case "callable" -> path = YamlValues.string(value).trim();
                        case "params" -> {
                            if (value instanceof MappingNode params) {
                                for (NodeTuple param : params.getValue()) {
                                    String name = scalarValue(param.getKeyNode());
                                    if (name == null) {
                                        throw new InvalidValue("params has a key that is not plain text");
                                    }
                                    keywords.put(name, param.getValueNode());
                                }
                            } else if (!YamlValues.isNull(value)) {
                                throw new InvalidValue("params must be a mapping of the timetable's arguments");
                            }
                        }
                        default ->
                            throw new InvalidValue("has '" + key + "' next to 'callable'; a timetable written with "
                                    + "'callable' takes its arguments under 'params'");
                    }
                } else {
                    switch (key) {
                        case TYPE -> path = YamlValues.string(value).trim();
                        case ARGS -> positional = items(value, ARGS);
                        default -> keywords.put(key, value);
                    }
                }
            }
            return new Call(path, positional, keywords);
        }

        /** The arguments by parameter name, as Python would bind them; a wrong or repeated name is an error. */
        Map<String, Node> bind(Signature signature) {
            Map<String, Node> bound = new LinkedHashMap<>();
            List<String> parameters = signature.parameters();
            if (signature.variadic()) {
                bound.put(
                        parameters.getFirst(),
                        new SequenceNode(
                                org.yaml.snakeyaml.nodes.Tag.SEQ,
                                positional,
                                org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW));
            } else {
                if (positional.size() > signature.positional()) {
                    throw new InvalidValue(signature.name() + " takes at most " + signature.positional()
                            + " positional argument" + (signature.positional() == 1 ? "" : "s") + " in __args__, got "
                            + positional.size() + "; name the others (" + String.join(", ", parameters) + ")");
                }
                for (int i = 0; i < positional.size(); i++) {
                    bound.put(parameters.get(i), positional.get(i));
                }
            }
            Set<String> byName =
                    Set.copyOf(signature.variadic() ? parameters.subList(1, parameters.size()) : parameters);
            for (Map.Entry<String, Node> keyword : keywords.entrySet()) {
                String name = keyword.getKey();
                if (!byName.contains(name)) {
                    throw new InvalidValue(signature.name() + " has no argument '" + name + "' (its arguments are "
                            + String.join(", ", parameters) + ")" + NameSuggester.hint(name, byName));
                }
                if (bound.containsKey(name)) {
                    throw new InvalidValue(signature.name() + " gets '" + name + "' twice, in __args__ and by name");
                }
                bound.put(name, keyword.getValue());
            }
            return bound;
        }
    }
}
