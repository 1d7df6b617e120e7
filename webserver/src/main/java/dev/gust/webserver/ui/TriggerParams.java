package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.params.ParamSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The DAG's params as the trigger form explains them, from Airflow's {@code Param} keywords: the
 * title (else the name), the description, the rules a value must follow, the default, and whether
 * the param is required (no default, and its schema does not allow null: a run's conf must give
 * it). The conf itself is still checked against the schemas when the form is sent.
 */
public final class TriggerParams {

    /** One param as a row of the form's table. */
    public record Field(
            String name, String title, String description, String rules, String defaultJson, boolean required) {}

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

    private TriggerParams() {}

    public static List<Field> of(Dag dag) {
        List<Field> fields = new ArrayList<>();
        dag.params().forEach((name, value) -> {
            Map<String, Object> schema = dag.paramSchemas().getOrDefault(name, Map.of());
            List<String> rules = new ArrayList<>();
            for (String keyword : RULE_KEYWORDS) {
                if (schema.containsKey(keyword)) {
                    rules.add(
                            keyword + ": " + DagPage.pretty(schema.get(keyword)).replaceAll("\\s+", " "));
                }
            }
            boolean required = value == null && !schema.isEmpty() && !allowsNull(name, schema);
            fields.add(new Field(
                    name,
                    schema.get("title") instanceof String title ? title : name,
                    schema.get("description") instanceof String description ? description : null,
                    String.join("; ", rules),
                    value == null ? null : DagPage.pretty(value).replaceAll("\\s+", " "),
                    required));
        });
        return fields;
    }

    private static boolean allowsNull(String name, Map<String, Object> schema) {
        try {
            return ParamSchema.of(name, schema).problems(null).isEmpty();
        } catch (IllegalArgumentException e) {
            return true; // a schema the loader refused never reaches a stored DAG
        }
    }
}
