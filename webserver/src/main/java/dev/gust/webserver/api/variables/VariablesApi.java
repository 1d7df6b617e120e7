package dev.gust.webserver.api.variables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.store.secrets.SensitiveNames;
import dev.gust.core.store.variables.Variable;
import dev.gust.core.store.variables.VariableQuery;
import dev.gust.core.store.variables.VariableRepository;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * {@code /variables}: Airflow's Variables CRUD. As in Airflow, {@code POST} sets a Variable
 * (creating or overwriting it), the list shows keys and descriptions and one Variable's GET its
 * value, except that a sensitive Variable's value ({@link SensitiveNames}) is answered as
 * {@code ***}, as the UI shows it: tasks and templates read it, people do not (a PATCH that sends
 * {@code ***} back keeps the stored value). Variables are an Op's business (Airflow's default roles).
 */
public final class VariablesApi {

    private static final Set<String> FIELDS = Set.of("key", "value", "description");
    private static final Set<String> MASK_FIELDS = Set.of("value", "description");

    /** Airflow's {@code Variable}; the value of a sensitive key is masked. */
    public record VariableResponse(String key, String value, String description) {
        static VariableResponse of(String key, String value, String description) {
            return new VariableResponse(key, SensitiveNames.maskIfSensitive(key, value), description);
        }
    }

    /** Airflow's {@code VariableCollectionItem}: no value. */
    public record Item(String key, String description) {}

    /** Airflow's {@code VariableCollection}. */
    public record Collection(List<Item> variables, long totalEntries) {}

    private final ApiContext api;
    private final VariableRepository variables;

    private VariablesApi(ApiContext api) {
        this.api = api;
        this.variables = api.services().stores().variables();
    }

    public static void register(ApiRouter router, ApiContext api) {
        VariablesApi handlers = new VariablesApi(api);
        router.resource(
                "/variables",
                "variable_key",
                Role.OP,
                Role.OP,
                new ApiRouter.Resource(
                        handlers::list, handlers::create, handlers::get, handlers::patch, handlers::delete));
    }

    private void list(Context ctx) {
        api.answerPage(
                ctx,
                VariableQuery::orderBy,
                new VariableQuery(api.services().jdbc())::list,
                (Variable v) -> new Item(v.key(), v.description()),
                Collection::new);
    }

    private void create(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String key = ApiRequest.required("key", ApiRequest.text(body, "key"));
        if (key.isBlank()) {
            throw ApiProblem.badRequest("key must not be blank");
        }
        String value = ApiRequest.required("value", ApiRequest.text(body, "value"));
        String description = ApiRequest.text(body, "description");
        boolean existed = variables.find(key).isPresent();
        variables.set(key, value, description);
        api.audit(ctx, existed ? "variable.update" : "variable.create", null, null, null, "key=" + key);
        ApiJson.ok(ctx, VariableResponse.of(key, value, description));
    }

    private void get(Context ctx) {
        Variable v = find(ctx.pathParam("variable_key"));
        ApiJson.ok(ctx, VariableResponse.of(v.key(), v.value(), v.description()));
    }

    /** Without {@code update_mask} the body's value and description replace the Variable's; with it, only the named ones. */
    private void patch(Context ctx) {
        String key = ctx.pathParam("variable_key");
        Variable current = find(key);
        Set<String> mask = ApiRequest.updateMask(ctx, MASK_FIELDS);
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String bodyKey = ApiRequest.text(body, "key");
        if (bodyKey != null && !bodyKey.equals(key)) {
            throw ApiProblem.badRequest("the body's key '" + bodyKey + "' differs from the path's '" + key
                    + "'; a Variable cannot be renamed");
        }
        boolean all = mask.isEmpty();
        String value = all || mask.contains("value") ? ApiRequest.text(body, "value") : current.value();
        if (SensitiveNames.MASK.equals(value) && SensitiveNames.isSensitive(key)) {
            // what a GET answered, sent back unchanged
            value = current.value();
        }
        if (value == null) {
            if (all && !body.has("value")) {
                value = current.value();
            } else {
                throw ApiProblem.badRequest("value must be a string; a Variable always has a value");
            }
        }
        String description = (all && body.has("description")) || mask.contains("description")
                ? ApiRequest.text(body, "description")
                : current.description();
        variables.set(key, value, description);
        api.audit(ctx, "variable.update", null, null, null, "key=" + key);
        ApiJson.ok(ctx, VariableResponse.of(key, value, description));
    }

    private void delete(Context ctx) {
        String key = ctx.pathParam("variable_key");
        if (!variables.delete(key)) {
            throw notFound(key);
        }
        api.audit(ctx, "variable.delete", null, null, null, "key=" + key);
        ctx.status(204);
    }

    private Variable find(String key) {
        return variables.find(key).orElseThrow(() -> notFound(key));
    }

    private static ApiProblem notFound(String key) {
        return ApiProblem.notFound(
                "Variable not found", "there is no Variable '" + key + "'; GET /api/v1/variables lists them");
    }
}
