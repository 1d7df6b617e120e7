package dev.gust.webserver.api.dags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Airflow's {@code fields} query parameter ({@code ReturnFields}): only the named fields of each
 * item are sent. A name the item does not have is refused with 400, as Airflow's schema refuses it.
 */
final class SparseFields {

    private SparseFields() {}

    /** The fields asked for (empty: all), each checked against the item's fields. */
    static List<String> of(Context ctx, Class<? extends Record> item) {
        List<String> fields = ApiRequest.listParam(ctx, "fields");
        Set<String> known = Arrays.stream(item.getRecordComponents())
                .map(c -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName()))
                .collect(Collectors.toCollection(TreeSet::new));
        for (String field : fields) {
            if (!known.contains(field)) {
                throw ApiProblem.badRequest(
                        "fields names '" + field + "', which a DAG does not have; use " + String.join(", ", known));
            }
        }
        return fields;
    }

    /**
     * {@code body} with only {@code fields} kept in each item: the items of the array under
     * {@code collection}, or the body itself when {@code collection} is null.
     */
    static Object keep(Object body, String collection, List<String> fields) {
        if (fields.isEmpty()) {
            return body;
        }
        JsonNode tree = ApiJson.MAPPER.valueToTree(body);
        if (collection == null) {
            ((ObjectNode) tree).retain(fields);
        } else {
            tree.get(collection).forEach(item -> ((ObjectNode) item).retain(fields));
        }
        return tree;
    }
}
