package dev.gust.webserver.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.params.JsonInWords;
import dev.gust.core.params.ParamSchema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The trigger form's fields, one per DAG param, as Airflow 2.6+ draws them from the param's
 * schema: an {@code enum} is a select, a boolean a checkbox, an integer or number a number field,
 * a string with {@code format: date}, {@code date-time} or {@code time} a date or time picker
 * (date-times in UTC), a list of strings a text area with one item per line, an object or any
 * other list a JSON text area, anything else a text field; a param without a schema takes the
 * kind of its default. Each field shows the title, the description and the rules. When the form
 * comes back, {@link #read} turns each field into its JSON value and says in words what could not
 * be read, per field; the schemas themselves are then checked by {@code TriggerConf}.
 */
public final class TriggerParams {

    /** The name prefix of a param's form field ({@code param.limit}). */
    static final String FIELD = "param.";

    /** A form field the page always sends with the param fields, so that an unticked checkbox reads as false. */
    static final String FIELDS_SHOWN = "params_shown";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private static final List<String> RULE_KEYWORDS = List.of(
            "type",
            "enum",
            "const",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "minLength",
            "maxLength",
            "pattern",
            "format",
            "minItems",
            "maxItems",
            "uniqueItems");

    /** One choice of an enum's select: the value as JSON (what is sent back) and its label. */
    public record Option(String valueJson, String label, boolean selected) {}

    /**
     * One param as a row of the form. {@code kind} is one of text, integer, number, boolean,
     * enum, date, datetime, time, lines, json; {@code value} is the field's text; {@code error}
     * what is wrong with it, in words (null when nothing).
     */
    public record Field(
            String name,
            String title,
            String description,
            String rules,
            String defaultJson,
            boolean required,
            String kind,
            String value,
            List<Option> options,
            String min,
            String max,
            String error) {}

    /** What the submitted fields hold: the conf they make and, per param, what could not be read. */
    public record Read(
            boolean shown, Map<String, Object> conf, Map<String, String> errors, Map<String, String> texts) {}

    private TriggerParams() {}

    /** The fields with the params' defaults. */
    public static List<Field> of(Dag dag) {
        return of(dag, Map.of(), Map.of());
    }

    /** The fields with what was sent ({@code texts}, by param) and what was wrong with it. */
    public static List<Field> of(Dag dag, Map<String, String> texts, Map<String, String> errors) {
        List<Field> fields = new ArrayList<>();
        dag.params().forEach((name, value) -> {
            Map<String, Object> schema = dag.paramSchemas().getOrDefault(name, Map.of());
            String kind = kind(schema, value);
            String text = texts.containsKey(name) ? texts.get(name) : text(kind, value);
            List<String> rules = new ArrayList<>();
            for (String keyword : RULE_KEYWORDS) {
                if (schema.containsKey(keyword)) {
                    rules.add(keyword + ": " + oneLine(schema.get(keyword)));
                }
            }
            boolean required = value == null && !schema.isEmpty() && !allowsNull(name, schema);
            fields.add(new Field(
                    name,
                    schema.get("title") instanceof String title ? title : name,
                    schema.get("description") instanceof String description ? description : null,
                    String.join("; ", rules),
                    value == null ? null : oneLine(value),
                    required,
                    kind,
                    text,
                    kind.equals("enum") ? options(schema, text, required || value == null) : List.of(),
                    bound(schema, "minimum"),
                    bound(schema, "maximum"),
                    errors.get(name)));
        });
        return fields;
    }

    /**
     * Reads the param fields of a submitted form ({@code form} answers a field's value, null when
     * it was not sent). A field left empty gives no value, so the param keeps its default (or is
     * reported missing when it has none); an unticked checkbox is false.
     */
    public static Read read(Dag dag, Function<String, String> form) {
        Map<String, Object> conf = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        boolean shown = form.apply(FIELDS_SHOWN) != null;
        if (!shown) {
            return new Read(false, conf, errors, texts);
        }
        dag.params().forEach((name, defaultValue) -> {
            Map<String, Object> schema = dag.paramSchemas().getOrDefault(name, Map.of());
            String kind = kind(schema, defaultValue);
            String text = form.apply(FIELD + name);
            texts.put(name, kind.equals("boolean") ? String.valueOf(text != null) : text == null ? "" : text);
            try {
                Object value = value(kind, text, defaultValue);
                if (value != ABSENT) {
                    conf.put(name, value);
                }
            } catch (IllegalArgumentException e) {
                errors.put(name, "param '" + name + "' " + e.getMessage());
            }
        });
        return new Read(true, conf, errors, texts);
    }

    /** What {@link #value} answers for a field that gives no value. */
    private static final Object ABSENT = new Object();

    private static Object value(String kind, String text, Object defaultValue) {
        if (kind.equals("boolean")) {
            return text != null;
        }
        if (text == null) {
            return ABSENT;
        }
        String t = text.strip();
        if (t.isEmpty()) {
            // an emptied text field is the empty string when the default is one; otherwise the default stands
            return kind.equals("text") && defaultValue instanceof String ? "" : ABSENT;
        }
        return switch (kind) {
            case "integer" -> {
                try {
                    yield new BigDecimal(t).toBigIntegerExact().longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new IllegalArgumentException("must be a whole number, like 3; '" + t + "' is not one");
                }
            }
            case "number" -> {
                try {
                    BigDecimal number = new BigDecimal(t);
                    yield number.stripTrailingZeros().scale() <= 0
                            ? (Object) number.longValue()
                            : (Object) number.doubleValue();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number, like 2.5; '" + t + "' is not one");
                }
            }
            case "enum", "json" -> {
                try {
                    yield JSON.readValue(t, Object.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            kind.equals("enum")
                                    ? "must be one of the choices"
                                    : "is not valid JSON " + JsonInWords.describe(e));
                }
            }
            case "date" -> {
                try {
                    yield LocalDate.parse(t).toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be a date like 2024-01-31; '" + t + "' is not one");
                }
            }
            case "datetime" -> {
                try {
                    yield LocalDateTime.parse(t)
                            .atOffset(ZoneOffset.UTC)
                            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                } catch (DateTimeParseException notLocal) {
                    try {
                        yield OffsetDateTime.parse(t).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(
                                "must be a date and time like 2024-01-31T06:00:00 (UTC); '" + t + "' is not one");
                    }
                }
            }
            case "time" -> {
                try {
                    yield LocalTime.parse(t).toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("must be a time like 06:30; '" + t + "' is not one");
                }
            }
            case "lines" ->
                t.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            default -> text;
        };
    }

    /** The field a param gets: from its schema's enum, type and format, else from its default's JSON type. */
    static String kind(Map<String, Object> schema, Object defaultValue) {
        if (schema.get("enum") instanceof List<?>) {
            return "enum";
        }
        String type = type(schema.get("type"));
        if (type == null) {
            type = switch (defaultValue) {
                case Boolean b -> "boolean";
                case Integer i -> "integer";
                case Long l -> "integer";
                case Number n -> "number";
                case List<?> l -> "array";
                case Map<?, ?> m -> "object";
                case null, default -> "string";
            };
        }
        return switch (type) {
            case "integer", "number", "boolean" -> type;
            case "array" -> stringItems(schema, defaultValue) ? "lines" : "json";
            case "object" -> "json";
            default ->
                switch (String.valueOf(schema.get("format"))) {
                    case "date" -> "date";
                    case "date-time" -> "datetime";
                    case "time" -> "time";
                    default -> defaultValue == null || defaultValue instanceof String ? "text" : "json";
                };
        };
    }

    /** The first type that is not null, of a type or a list of types; null when there is none. */
    private static String type(Object type) {
        if (type instanceof String name) {
            return name.equals("null") ? null : name;
        }
        if (type instanceof List<?> names) {
            return names.stream()
                    .map(String::valueOf)
                    .filter(name -> !name.equals("null"))
                    .findFirst()
                    .orElse(null);
        }
        return null;
    }

    private static boolean stringItems(Map<String, Object> schema, Object defaultValue) {
        if (schema.get("items") instanceof Map<?, ?> items) {
            return "string".equals(items.get("type"));
        }
        return defaultValue == null
                || defaultValue instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
    }

    /** The field's text for a value. */
    private static String text(String kind, Object value) {
        if (value == null) {
            return kind.equals("boolean") ? "false" : "";
        }
        return switch (kind) {
            case "enum" -> json(value);
            case "lines" ->
                value instanceof List<?> list
                        ? String.join("\n", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value);
            case "json" -> DagPage.pretty(value);
            case "datetime" -> {
                try {
                    yield OffsetDateTime.parse(String.valueOf(value))
                            .withOffsetSameInstant(ZoneOffset.UTC)
                            .format(LOCAL_DATE_TIME);
                } catch (DateTimeParseException e) {
                    yield String.valueOf(value);
                }
            }
            default -> String.valueOf(value);
        };
    }

    /**
     * The select's choices, labelled by Airflow's {@code values_display} where it names them; an
     * empty first choice when nothing is chosen yet.
     */
    private static List<Option> options(Map<String, Object> schema, String selectedJson, boolean emptyChoice) {
        List<Option> options = new ArrayList<>();
        Map<?, ?> display = schema.get("values_display") instanceof Map<?, ?> map ? map : Map.of();
        boolean anySelected = false;
        for (Object choice : (List<?>) schema.get("enum")) {
            String valueJson = json(choice);
            boolean selected = valueJson.equals(selectedJson);
            anySelected |= selected;
            Object label = display.get(String.valueOf(choice));
            options.add(
                    new Option(valueJson, label != null ? String.valueOf(label) : String.valueOf(choice), selected));
        }
        if (emptyChoice || !anySelected) {
            options.addFirst(new Option("", "— choose —", !anySelected));
        }
        return options;
    }

    private static String bound(Map<String, Object> schema, String keyword) {
        return schema.get(keyword) instanceof Number n ? n.toString() : null;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return Objects.toString(value);
        }
    }

    private static String oneLine(Object value) {
        return DagPage.pretty(value).replaceAll("\\s+", " ");
    }

    private static boolean allowsNull(String name, Map<String, Object> schema) {
        try {
            return ParamSchema.of(name, schema).problems(null).isEmpty();
        } catch (IllegalArgumentException e) {
            return true; // a schema the loader refused never reaches a stored DAG
        }
    }
}
