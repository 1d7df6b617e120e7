package dev.gust.core.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.params.JsonInWords;
import dev.gust.core.params.ParamSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conf of a manually triggered run, checked before the run exists: a JSON object whose
 * values, where the DAG has a param of the same name, have that param's JSON type (a number for
 * a number, a list for a list, ...); a param declared as Airflow's {@code Param} is checked
 * against its JSON Schema instead, with its default when the conf does not give it (so a
 * required param must be given). Keys the DAG has no param for are allowed, as in Airflow,
 * where {@code dag_run.conf} is free-form. The CLI, the UI's trigger form and the REST API use it.
 */
public final class TriggerConf {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerConf() {}

    /** Thrown with a message for the person who wrote the conf. */
    public static final class InvalidConfException extends IllegalArgumentException {
        public InvalidConfException(String message) {
            super(message);
        }
    }

    /**
     * Parses and checks {@code json} (null or blank = empty conf) against {@code params}.
     *
     * @throws InvalidConfException naming every problem at once
     */
    public static Map<String, Object> parse(String json, Map<String, Object> params) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfException("conf is not valid JSON " + JsonInWords.describe(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidConfException("conf must be a JSON object, like {\"key\": \"value\"}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> conf = JSON.convertValue(tree, LinkedHashMap.class);
        return check(conf, params);
    }

    /** Parses and checks {@code json} against the DAG's params and their schemas. */
    public static Map<String, Object> parse(String json, Dag dag) {
        return check(parse(json, Map.of()), dag);
    }

    /** Checks an already parsed conf against the DAG's params and their schemas. */
    public static Map<String, Object> check(Map<String, Object> conf, Dag dag) {
        return check(conf, dag.params(), dag.paramSchemas());
    }

    /** Checks an already parsed conf against plain params (no schemas). */
    public static Map<String, Object> check(Map<String, Object> conf, Map<String, Object> params) {
        return check(conf, params, Map.of());
    }

    private static Map<String, Object> check(
            Map<String, Object> conf, Map<String, Object> params, Map<String, Map<String, Object>> schemas) {
        List<String> problems = new ArrayList<>();
        schemas.forEach((name, schema) -> {
            Object value = conf.containsKey(name) ? conf.get(name) : params.get(name);
            List<String> found = ParamSchema.of(name, schema).problems(value);
            if (!found.isEmpty() && value == null && !conf.containsKey(name)) {
                problems.add("param '" + name + "' is required (it has no default); give it in the conf");
            } else {
                problems.addAll(found);
            }
        });
        conf.forEach((key, value) -> {
            if (!schemas.containsKey(key) && params.containsKey(key) && params.get(key) != null && value != null) {
                String expected = jsonType(params.get(key));
                String actual = jsonType(value);
                if (!expected.equals(actual)) {
                    problems.add("'" + key + "' must be " + expected + " like the DAG's param ("
                            + JSON.valueToTree(params.get(key)) + "), not " + actual);
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfException("conf does not match the DAG's params: " + String.join("; ", problems));
        }
        return conf;
    }

    /** The DAG's params with the conf laid over them: what the run's templates will see. */
    public static Map<String, Object> effectiveParams(Map<String, Object> params, Map<String, Object> conf) {
        Map<String, Object> merged = new LinkedHashMap<>(params);
        merged.putAll(conf);
        return merged;
    }

    private static String jsonType(Object value) {
        return switch (JSON.valueToTree(value).getNodeType()) {
            case NUMBER -> "a number";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT, POJO -> "an object";
            default -> "null";
        };
    }
}
