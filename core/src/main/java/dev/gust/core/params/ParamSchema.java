package dev.gust.core.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The JSON Schema of one DAG param, as Airflow's {@code Param} declares it ({@code type},
 * {@code enum}, {@code pattern}, {@code minLength}/{@code maxLength},
 * {@code minimum}/{@code maximum}, {@code items}, ...), checked with networknt's JSON Schema
 * validator (draft 2020-12) as Airflow checks it with {@code jsonschema}. References
 * ({@code $ref} and friends) are refused when the DAG loads, so that checking a conf never
 * fetches anything. Thread-safe.
 */
public final class ParamSchema {

    /** JSON Schema's type names, the only values {@code type} may take. */
    public static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "array", "object", "null");

    private static final Set<String> REFERENCES = Set.of(
            "$ref",
            "$dynamicRef",
            "$recursiveRef",
            "$id",
            "$schema",
            "$anchor",
            "$dynamicAnchor",
            "$vocabulary",
            "$defs",
            "definitions");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().locale(Locale.ENGLISH).build();

    private final String name;
    private final JsonSchema schema;

    private ParamSchema(String name, JsonSchema schema) {
        this.name = name;
        this.schema = schema;
    }

    /**
     * The schema of param {@code name}.
     *
     * @throws IllegalArgumentException with a one-line message when the schema itself is wrong
     */
    public static ParamSchema of(String name, Map<String, Object> schema) {
        checkKeywords(schema);
        try {
            return new ParamSchema(name, FACTORY.getSchema(JSON.valueToTree(schema), CONFIG));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its schema is not valid JSON Schema: " + e.getMessage());
        }
    }

    /** Every problem of {@code value} against the schema, each naming the param and the rule; empty when it fits. */
    public List<String> problems(Object value) {
        JsonNode node = JSON.valueToTree(value);
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(node)) {
            problems.add("param '" + name + "' " + describe(message));
        }
        return problems;
    }

    private static String describe(ValidationMessage message) {
        String text = message.getMessage();
        String at = message.getInstanceLocation() == null
                ? ""
                : message.getInstanceLocation().toString();
        // networknt starts each message with the location (": ...", "/0: ..."); it is said once, in front
        if (text.startsWith(at + ": ")) {
            text = text.substring(at.length() + 2);
        }
        String where = at.isEmpty() || at.equals("$") ? "" : "at " + at + " ";
        return where + "breaks the rule '" + message.getType() + "': " + text;
    }

    private static void checkKeywords(Object schema) {
        if (schema instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (REFERENCES.contains(key)) {
                    throw new IllegalArgumentException(
                            "'" + key + "' is not supported in a param's schema; write the " + "schema out in full");
                }
                switch (key) {
                    case "type" -> checkType(entry.getValue());
                    case "pattern" -> checkPattern(entry.getValue());
                    default -> {}
                }
                checkKeywords(entry.getValue());
            }
        } else if (schema instanceof Collection<?> items) {
            items.forEach(ParamSchema::checkKeywords);
        }
    }

    private static void checkType(Object type) {
        List<?> names = type instanceof List<?> list ? list : List.of(String.valueOf(type));
        for (Object typeName : names) {
            if (!TYPES.contains(String.valueOf(typeName))) {
                throw new IllegalArgumentException("'" + typeName + "' is not a JSON Schema type; use one of "
                        + "string, integer, number, boolean, array, object, null (or a list of them)");
            }
        }
    }

    private static void checkPattern(Object pattern) {
        try {
            Pattern.compile(String.valueOf(pattern));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "its pattern '" + pattern + "' is not a valid regular expression: " + e.getDescription());
        }
    }
}
