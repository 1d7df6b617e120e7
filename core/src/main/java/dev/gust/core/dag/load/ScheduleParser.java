package dev.gust.core.dag.load;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.gust.core.dag.model.DatasetCondition;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.text.NameSuggester;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a DAG's {@code schedule}: none, a preset ({@code @daily}), a 5-field cron expression
 * checked with cron-utils, a fixed interval ({@code 30m}, {@code timedelta(hours=1)}), the
 * datasets that trigger the DAG (a list, a condition, or a mapping with {@code datasets},
 * optionally with a {@code timetable} that also runs it; {@link DatasetReader}), or a timetable object ({@link TimetableParser}).
 */
final class ScheduleParser {

    /** Presets and the cron expressions they stand for, as in Airflow. */
    static final Map<String, String> PRESETS = presets();

    // cron-utils does not promise that a parser is thread-safe, and files are parsed in parallel
    private static final ThreadLocal<CronParser> CRON_PARSER =
            ThreadLocal.withInitial(() -> new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)));
    // Most DAG folders repeat a handful of expressions; validating each once keeps big folders fast.
    private static final Map<String, String> CRON_CHECKS = new ConcurrentHashMap<>();
    private static final String VALID = "";

    private ScheduleParser() {}

    private static Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("@hourly", "0 * * * *");
        presets.put("@daily", "0 0 * * *");
        presets.put("@midnight", "0 0 * * *");
        presets.put("@weekly", "0 0 * * 0");
        presets.put("@monthly", "0 0 1 * *");
        presets.put("@yearly", "0 0 1 1 *");
        presets.put("@annually", "0 0 1 1 *");
        return Map.copyOf(presets);
    }

    /** The schedule {@code node} describes; naive dates inside a timetable are read in {@code zone}. */
    static Schedule parse(Node node, ZoneId zone) {
        return parse(node, zone, null);
    }

    /** As {@link #parse(Node, ZoneId)}; a dag-factory datasets {@code file:} is read through {@code files} (null: none can be). */
    static Schedule parse(Node node, ZoneId zone, DocFiles files) {
        return switch (node) {
            case SequenceNode sequence -> datasets(DatasetReader.condition(sequence));
            case MappingNode mapping
            when DatasetReader.isDatasetMapping(mapping) -> datasets(DatasetReader.condition(mapping));
            case MappingNode mapping when TimetableParser.isObject(mapping) -> TimetableParser.parse(mapping, zone);
            case MappingNode mapping -> scheduleMapping(mapping, zone, files);
            case ScalarNode scalar when YamlValues.isNull(scalar) -> new Schedule.None();
            case ScalarNode scalar -> parse(scalar.getValue());
            default -> throw new InvalidValue("must be a cron expression, a preset, an interval or a list of datasets");
        };
    }

    /** Parses the text form of a schedule (everything but dataset lists). */
    static Schedule parse(String raw) {
        String text = raw.trim();
        return switch (text) {
            case "", "none", "None", "null", "Null", "NULL", "~" -> new Schedule.None();
            case "@once" -> new Schedule.Once();
            default -> {
                if (text.startsWith("@")) {
                    yield preset(text);
                }
                if (text.indexOf(' ') < 0 && text.indexOf('\t') < 0 || text.startsWith("timedelta(")) {
                    yield new Schedule.FixedInterval(interval(text));
                }
                yield new Schedule.Cron(cron(text), null);
            }
        };
    }

    private static Schedule preset(String text) {
        String expression = PRESETS.get(text);
        if (expression == null) {
            String hint = NameSuggester.closest(text, allPresets())
                    .map(s -> " Did you mean '" + s + "'?")
                    .orElse("");
            throw new InvalidValue("has an unknown preset '" + text + "'; valid presets are "
                    + String.join(", ", allPresets()) + ", or none." + hint);
        }
        return new Schedule.Cron(expression, text);
    }

    private static List<String> allPresets() {
        return List.of("@once", "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually");
    }

    private static Duration interval(String text) {
        Duration interval;
        try {
            interval = DurationParser.parse(text);
        } catch (InvalidValue e) {
            throw new InvalidValue("'" + text + "' is neither a cron expression (5 fields such as '0 6 * * *'), "
                    + "a preset such as @daily, nor an interval such as '30m' or 'timedelta(hours=1)'");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new InvalidValue("interval '" + text + "' must be longer than zero");
        }
        return interval;
    }

    /** The expression, with its whitespace normalized, once cron-utils has accepted it. */
    static String cron(String text) {
        String expression = String.join(" ", text.split("\\s+"));
        String check = CRON_CHECKS.computeIfAbsent(expression, ScheduleParser::checkCron);
        if (CRON_CHECKS.size() > 10_000) {
            CRON_CHECKS.clear();
        }
        if (!check.equals(VALID)) {
            throw new InvalidValue(check);
        }
        return expression;
    }

    private static String checkCron(String expression) {
        int fields = expression.split(" ").length;
        if (fields != 5) {
            return "has an invalid cron expression '" + expression + "': it has " + fields
                    + " fields, a cron expression has 5 (minute hour day-of-month month day-of-week), "
                    + "e.g. '0 6 * * *' for 06:00 every day";
        }
        try {
            CRON_PARSER.get().parse(expression).validate();
            return VALID;
        } catch (IllegalArgumentException e) {
            return "has an invalid cron expression '" + expression + "': " + e.getMessage()
                    + " (fields are minute hour day-of-month month day-of-week, e.g. '0 6 * * *')";
        }
    }

    /**
     * dag-factory's schedule mapping: {@code datasets} (with {@code timetable}, Airflow's
     * {@code DatasetOrTimeSchedule}; with {@code file}, names of a {@link DatasetFile}); every
     * other key is refused by name rather than dropped.
     */
    private static Schedule scheduleMapping(MappingNode mapping, ZoneId zone, DocFiles files) {
        Node datasets = null;
        Node timetable = null;
        Node file = null;
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
            switch (key) {
                case "datasets" -> datasets = tuple.getValueNode();
                case "timetable" -> timetable = tuple.getValueNode();
                case "file" -> file = tuple.getValueNode();
                default ->
                    throw new InvalidValue("has an unknown key '" + key + "'; a schedule mapping takes 'datasets' and "
                            + "optionally 'timetable' or 'file', or is a timetable with '__type__'"
                            + NameSuggester.hint(key, List.of("datasets", "timetable", "file", "__type__")));
            }
        }
        if (datasets == null) {
            throw new InvalidValue("as a mapping must have 'datasets: [uri, ...]' (and optionally 'timetable'), or be "
                    + "a timetable with '__type__'");
        }
        Schedule.Datasets on = file == null
                ? datasets(DatasetReader.condition(datasets))
                : new Schedule.Datasets(fromFile(file, datasets, files));
        if (timetable == null) {
            return on;
        }
        return new Schedule.DatasetsOrTime(on.uris(), timetableOf(timetable, zone), on.condition());
    }

    /** dag-factory's {@code file:} with {@code datasets:} naming datasets of that file: their URIs, all required. */
    private static List<String> fromFile(Node file, Node names, DocFiles files) {
        if (!(file instanceof ScalarNode path) || YamlValues.isNull(path)) {
            throw new InvalidValue("file must be the path of a datasets file (relative to the DAG file's folder)");
        }
        if (files == null) {
            throw new InvalidValue("file '" + path.getValue() + "' cannot be read here");
        }
        List<String> wanted = YamlValues.stringList(names);
        if (wanted.isEmpty()) {
            throw new InvalidValue("lists no datasets; with 'file', 'datasets' names datasets of that file");
        }
        return DatasetFile.uris(files, path.getValue(), wanted);
    }

    /**
     * The schedule of a dataset condition; "all of these URIs" keeps no condition, so that a
     * plain list is stored as it always was.
     */
    private static Schedule.Datasets datasets(DatasetCondition condition) {
        boolean plainList = switch (condition) {
            case DatasetCondition.Uri uri -> true;
            case DatasetCondition.All all -> all.of().stream().allMatch(c -> c instanceof DatasetCondition.Uri);
            case DatasetCondition.Any any -> false;
        };
        return plainList ? new Schedule.Datasets(condition.uris()) : new Schedule.Datasets(condition.uris(), condition);
    }

    /** A {@code timetable:} value, of a DAG or of a schedule mapping: a timetable object. */
    static Schedule timetableOf(Node node, ZoneId zone) {
        if (node instanceof MappingNode mapping && TimetableParser.isObject(mapping)) {
            return TimetableParser.parse(mapping, zone);
        }
        throw new InvalidValue("must be a timetable object such as {__type__: airflow.timetables.trigger."
                + "CronTriggerTimetable, cron: '0 6 * * *', timezone: UTC}; a cron expression or a preset goes "
                + "under 'schedule:'");
    }
}
