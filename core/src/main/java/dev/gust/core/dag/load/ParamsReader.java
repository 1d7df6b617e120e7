package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Schedule;
import dev.gust.core.params.ParamSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a DAG's {@code params}. A value is a plain default, as in dag-factory; a mapping written
 * as Airflow's {@code Param} is a default with a JSON Schema: either dag-factory's object form
 * ({@code __type__: airflow.models.param.Param} with the keyword arguments beside it) or a
 * mapping of only Param keywords with {@code default} or {@code type} among them. Templates see
 * the defaults; the schemas are checked here (a bad schema or a default that breaks it is a
 * problem of the DAG) and against each manual run's conf ({@code TriggerConf}).
 */
final class ParamsReader {

    /** What templates see and what is checked. */
    record Read(Map<String, Object> defaults, Map<String, Map<String, Object>> schemas) {}

    private static final Set<String> PARAM_CLASSES = Set.of(
            "airflow.models.param.Param",
            "airflow.models.Param",
            "airflow.sdk.Param",
            "airflow.sdk.definitions.param.Param",
            "Param");
    /** Keys that say something about the param but are not validation keywords. */
    private static final Set<String> NOT_SCHEMA = Set.of(
            "default", "__type__", "__args__", "values_display", "section", "description_md", "custom_html_form");

    private static final Set<String> PARAM_KEYS = Set.of(
            "default",
            "type",
            "enum",
            "const",
            "pattern",
            "format",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "properties",
            "required",
            "additionalProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "anyOf",
            "oneOf",
            "allOf",
            "not",
            "title",
            "description",
            "examples",
            "values_display",
            "section",
            "description_md",
            "$ref",
            "$defs",
            "$schema",
            "$id",
            "definitions");

    private ParamsReader() {}

    /**
     * Reads the params of {@code where} ("DAG 'd'", "DAG 'd', task 't'"), which messages start
     * with; {@code line} is where they are written.
     */
    static Read read(String where, Map<String, Object> params, Schedule schedule, int line, Problems problems) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        Map<String, Map<String, Object>> schemas = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            Map<String, Object> declaration = declaration(value);
            if (declaration == null) {
                defaults.put(name, value);
                return;
            }
            Object defaultValue = declaration.containsKey("default")
                    ? declaration.get("default")
                    : declaration.get("__args__") instanceof List<?> args && !args.isEmpty() ? args.getFirst() : null;
            defaults.put(name, defaultValue);
            Map<String, Object> schema = new LinkedHashMap<>(declaration);
            schema.keySet().removeAll(NOT_SCHEMA);
            String param = where + ": param '" + name + "': ";
            try {
                ParamSchema checked = ParamSchema.of(name, schema);
                if (defaultValue != null) {
                    checked.problems(defaultValue)
                            .forEach(p -> problems.add(
                                    line, where + ": the default of " + p + "; fix the default or the schema"));
                } else if (!(schedule instanceof Schedule.None)
                        && !checked.problems(null).isEmpty()) {
                    // as Airflow: a scheduled run has no conf, so a required param needs a default
                    problems.add(
                            line,
                            param + "has no default and does not allow null, so a scheduled run could "
                                    + "not give it; add a default or set 'schedule: null'");
                }
            } catch (IllegalArgumentException e) {
                problems.add(line, param + e.getMessage());
            }
            schemas.put(name, schema);
        });
        return new Read(defaults, schemas);
    }

    /** The Param's keywords when {@code value} declares one, else null (a plain default). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> declaration(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Object type = map.get("__type__");
        if (type != null) {
            return PARAM_CLASSES.contains(String.valueOf(type)) ? (Map<String, Object>) map : null;
        }
        boolean onlyParamKeys = PARAM_KEYS.containsAll(map.keySet());
        boolean declares = map.containsKey("default") || map.containsKey("type");
        return onlyParamKeys && declares ? (Map<String, Object>) map : null;
    }
}
