package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The contract test kit: Airflow 2.10's REST API spec, as facts written down in {@code
 * api/airflow-2.10-spec-facts.txt} (every schema field's name, type, nullability, enum and
 * date-time format; every operation's documented statuses and their response schema), and a
 * check of a real response against them. A response passes when its status is one the spec
 * lists for the operation and its body has exactly the schema's fields (Airflow sends every field),
 * each of the right type, null only where the spec allows it, within its enum, and a date-time
 * written as Airflow writes dates ({@code 2024-01-01T00:00:00+00:00}, or with six digits of
 * microseconds) where the spec says date-time; nested schemas and array items are checked the same way.
 * The kit remembers which operations it checked ({@link #checked}), so a test can tell that every
 * operation of the spec went through it.
 *
 * <p>Use: {@code SpecContract.AIRFLOW.check("get_user", api.get("/users/admin"))}.
 */
final class SpecContract {

    static final SpecContract AIRFLOW = load("/api/airflow-2.10-spec-facts.txt");

    /** One field of a schema. */
    record Field(String type, boolean nullable, Set<String> enumValues, boolean dateTime) {}

    /** An operation of the spec: method, path and each status's response schema ("-" for none). */
    record Operation(String id, String method, String path, Map<String, String> responses) {}

    /**
     * Fields the spec lets an answer leave out although it neither requires nor lets them be null:
     * {@code Task.sub_dag} is a DAG only for a SubDAG operator, which Gust does not have (Airflow
     * 2.10 deprecated SubDAGs), so no Gust task has one.
     */
    private static final Set<String> MAY_BE_ABSENT = Set.of("Task.sub_dag");

    /** A date as Airflow's API writes it: UTC as {@code +00:00}, microseconds when there are any. */
    private static final Pattern AIRFLOW_DATE =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{6})?\\+00:00");

    /**
     * Fields Gust sends beyond the spec's schema (the spec allows more properties; none of these
     * changes a field it names), each a deliberate addition listed in docs/api.md: {@code
     * bundle_version} is Airflow 3's, the DAG bundle version a DAG was parsed from; a dataset's
     * {@code aliases}, a dataset event's {@code id}, a task's {@code inlets} and {@code outlets} and a
     * task list's {@code total_entries} are what Airflow 2.10's server sends though its spec file
     * leaves them out.
     */
    private static final Set<String> ADDITIONS = Set.of(
            "DAG.bundle_version",
            "DAGDetail.bundle_version",
            "Dataset.aliases",
            "DatasetEvent.id",
            "Task.inlets",
            "Task.outlets",
            "TaskCollection.total_entries");

    private final Map<String, Map<String, Field>> schemas;
    private final Set<String> nullableSchemas;
    private final Map<String, Operation> operations;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    private SpecContract(
            Map<String, Map<String, Field>> schemas, Set<String> nullableSchemas, Map<String, Operation> operations) {
        this.schemas = schemas;
        this.nullableSchemas = nullableSchemas;
        this.operations = operations;
    }

    /** The spec's operations by id, in the spec's order. */
    Map<String, Operation> operations() {
        return operations;
    }

    /** The ids of the operations {@link #check} has passed so far in this JVM. */
    Set<String> checked() {
        return Set.copyOf(checked);
    }

    /** Asserts that {@code reply} is what the spec allows {@code operationId} to answer. */
    void check(String operationId, ApiTestServer.Reply reply) {
        assertThat(violations(operationId, reply.status(), reply.json()))
                .as(operationId + " answered " + reply.status() + ": " + reply.text())
                .isEmpty();
        checked.add(operationId);
    }

    /**
     * Asserts that {@code node}, a part of an answer of {@code operationId} whose schema the spec does
     * not name (an inline or anyOf one), has the fields of {@code schema}; the operation counts as checked.
     */
    void checkPart(String operationId, int status, String schema, JsonNode node) {
        assertThat(operations.get(operationId).responses()).containsKey(String.valueOf(status));
        assertThat(schemaViolations(schema, node))
                .as(operationId + " answered " + status + ": " + node)
                .isEmpty();
        checked.add(operationId);
    }

    /** What in the answer the spec does not allow; empty when it all conforms. */
    List<String> violations(String operationId, int status, JsonNode body) {
        Operation operation = operations.get(operationId);
        if (operation == null) {
            throw new IllegalArgumentException("the spec has no operation " + operationId);
        }
        String schema = operation.responses().get(String.valueOf(status));
        List<String> found = new ArrayList<>();
        if (schema == null) {
            found.add("status " + status + " is not one the spec lists for " + operationId + " "
                    + operation.responses().keySet());
            return found;
        }
        if (!schema.equals("-")) {
            if (body == null) {
                found.add("no JSON body, the spec says " + schema);
            } else {
                checkObject(schema, body, "$", found);
            }
        }
        return found;
    }

    /** What in {@code node} the schema {@code schema} (or {@code A+B}, both merged) does not allow. */
    List<String> schemaViolations(String schema, JsonNode node) {
        List<String> found = new ArrayList<>();
        checkObject(schema, node, "$", found);
        return found;
    }

    private void checkObject(String schema, JsonNode node, String at, List<String> found) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (String part : schema.split("\\+")) {
            Map<String, Field> partFields = schemas.get(part);
            if (partFields == null) {
                throw new IllegalArgumentException("the spec facts have no schema " + part);
            }
            fields.putAll(partFields);
        }
        if (!node.isObject()) {
            found.add(at + " must be an object (" + schema + "), got " + node.getNodeType());
            return;
        }
        Set<String> extra = new TreeSet<>();
        node.fieldNames().forEachRemaining(extra::add);
        extra.removeAll(fields.keySet());
        for (String part : schema.split("\\+")) {
            extra.removeIf(name -> ADDITIONS.contains(part + "." + name));
        }
        if (!extra.isEmpty()) {
            found.add(at + " has fields " + schema + " does not: " + extra);
        }
        fields.forEach((name, field) -> {
            JsonNode value = node.get(name);
            if (value == null) {
                if (!MAY_BE_ABSENT.contains(owner(schema, name) + "." + name)) {
                    found.add(at + "." + name + " is missing (" + schema + ")");
                }
            } else {
                checkValue(field.type(), field, value, at + "." + name, found);
            }
        });
    }

    /** The part of {@code schema} ({@code A+B}) that has the field {@code name}. */
    private String owner(String schema, String name) {
        for (String part : schema.split("\\+")) {
            if (schemas.get(part).containsKey(name)) {
                return part;
            }
        }
        return schema;
    }

    private void checkValue(String type, Field field, JsonNode value, String at, List<String> found) {
        if (value.isNull()) {
            boolean nullableRef = type.startsWith("ref:") && nullableSchemas.contains(type.substring("ref:".length()));
            if (!field.nullable() && !nullableRef) {
                found.add(at + " is null, which the spec does not allow");
            }
            return;
        }
        if (type.startsWith("array<")) {
            if (!value.isArray()) {
                found.add(at + " must be an array, got " + value.getNodeType());
                return;
            }
            String item = type.substring("array<".length(), type.length() - 1);
            boolean itemNullable = item.endsWith("?");
            Field itemField = new Field(
                    itemNullable ? item.substring(0, item.length() - 1) : item,
                    itemNullable,
                    field.enumValues(),
                    field.dateTime());
            for (int i = 0; i < value.size(); i++) {
                checkValue(itemField.type(), itemField, value.get(i), at + "[" + i + "]", found);
            }
            return;
        }
        if (type.startsWith("ref:")) {
            checkObject(type.substring("ref:".length()), value, at, found);
            return;
        }
        boolean typed = switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "any" -> true;
            default -> throw new IllegalStateException("unknown type in the spec facts: " + type);
        };
        if (!typed) {
            found.add(at + " must be " + type + ", got " + value.getNodeType() + " " + value);
            return;
        }
        if (!field.enumValues().isEmpty() && !field.enumValues().contains(value.asText())) {
            found.add(at + " is '" + value.asText() + "', not one of " + field.enumValues());
        }
        if (field.dateTime()) {
            try {
                OffsetDateTime.parse(value.asText());
                if (!AIRFLOW_DATE.matcher(value.asText()).matches()) {
                    found.add(at + " is '" + value.asText() + "', not as Airflow writes dates"
                            + " (2024-01-01T00:00:00.123456+00:00)");
                }
            } catch (DateTimeParseException e) {
                found.add(at + " is '" + value.asText() + "', not an RFC 3339 date-time");
            }
        }
    }

    private static SpecContract load(String resource) {
        Map<String, Map<String, Field>> schemas = new LinkedHashMap<>();
        Set<String> nullableSchemas = new TreeSet<>();
        Map<String, Operation> operations = new LinkedHashMap<>();
        try (InputStream in = SpecContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.strip().split("\\s+");
                if (words[0].equals("nullable-schema")) {
                    nullableSchemas.add(words[1]);
                    continue;
                }
                if (words[0].equals("operation")) {
                    operations
                            .computeIfAbsent(
                                    words[1], id -> new Operation(id, words[2], words[3], new LinkedHashMap<>()))
                            .responses()
                            .put(words[4], words[5]);
                    continue;
                }
                int dot = words[0].indexOf('.');
                Set<String> enumValues = new TreeSet<>();
                boolean nullable = false;
                boolean dateTime = false;
                for (int i = 2; i < words.length; i++) {
                    if (words[i].equals("nullable")) {
                        nullable = true;
                    } else if (words[i].startsWith("enum=")) {
                        enumValues.addAll(
                                List.of(words[i].substring("enum=".length()).split("\\|")));
                    } else if (words[i].equals("format=date-time")) {
                        dateTime = true;
                    }
                }
                schemas.computeIfAbsent(words[0].substring(0, dot), s -> new LinkedHashMap<>())
                        .put(words[0].substring(dot + 1), new Field(words[1], nullable, enumValues, dateTime));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SpecContract(schemas, nullableSchemas, operations);
    }
}
