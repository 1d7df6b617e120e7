package dev.gust.webserver.api.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.external.ConnectionTester;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.connections.ConnectionQuery;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.secrets.SensitiveNames;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /connections}: Airflow's Connections CRUD. The password is write-only: it is accepted
 * and stored encrypted but never sent back; in {@code extra} the values of sensitive keys are
 * masked. Connections are an Op's business (Airflow's default roles).
 */
public final class ConnectionsApi {

    private static final Set<String> FIELDS =
            Set.of("connection_id", "conn_type", "description", "host", "login", "schema", "port", "password", "extra");
    private static final Set<String> MASK_FIELDS =
            Set.of("conn_type", "description", "host", "login", "schema", "port", "password", "extra");

    /** Airflow's {@code Connection}, without the write-only password. */
    public record ConnectionResponse(
            String connectionId,
            String connType,
            String description,
            String host,
            String login,
            String schema,
            Integer port,
            String extra) {}

    /** Airflow's {@code ConnectionCollectionItem}. */
    public record Item(
            String connectionId,
            String connType,
            String description,
            String host,
            String login,
            String schema,
            Integer port) {}

    /** Airflow's {@code ConnectionCollection}. */
    public record Collection(List<Item> connections, long totalEntries) {}

    /** Airflow's {@code ConnectionTest}. */
    public record TestResult(boolean status, String message) {}

    /** Airflow's answer while {@code core.test_connection} is not {@code Enabled}. */
    static final String TESTING_DISABLED = "Testing connections is disabled in Airflow configuration. Contact your"
            + " deployment admin to enable it.";

    private final ApiContext api;
    private final ConnectionRepository connections;

    private ConnectionsApi(ApiContext api) {
        this.api = api;
        this.connections = api.services().stores().connections();
    }

    public static void register(ApiRouter router, ApiContext api) {
        ConnectionsApi handlers = new ConnectionsApi(api);
        router.resource(
                "/connections",
                "connection_id",
                Role.OP,
                Role.OP,
                new ApiRouter.Resource(
                        handlers::list, handlers::create, handlers::get, handlers::patch, handlers::delete));
        router.post("/connections/test", handlers::test, Role.OP);
    }

    private void list(Context ctx) {
        api.answerPage(
                ctx,
                ConnectionQuery::orderBy,
                new ConnectionQuery(api.services().jdbc())::list,
                c -> new Item(c.connId(), c.connType(), c.description(), c.host(), c.login(), c.schema(), c.port()),
                Collection::new);
    }

    private void create(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String id = ApiRequest.required("connection_id", ApiRequest.text(body, "connection_id"));
        if (!id.matches("[A-Za-z0-9_.\\-]+")) {
            throw ApiProblem.badRequest("connection_id may only hold letters, digits, '_', '.' and '-'");
        }
        Connection c = new Connection(
                id,
                ApiRequest.required("conn_type", ApiRequest.text(body, "conn_type")),
                ApiRequest.text(body, "description"),
                ApiRequest.text(body, "host"),
                ApiRequest.text(body, "schema"),
                ApiRequest.text(body, "login"),
                ApiRequest.text(body, "password"),
                port(body),
                extra(body));
        if (!connections.add(c)) {
            throw ApiProblem.conflict(
                    "Connection already exists",
                    "connection '" + id + "' exists; PATCH /api/v1/connections/" + id + " changes it");
        }
        api.audit(ctx, "connection.create", null, null, null, "connection_id=" + id);
        ApiJson.ok(ctx, response(c));
    }

    /**
     * Tries the connection the body describes (Airflow 2.10: the body is the connection; nothing is
     * stored and no stored secret is used), when {@code core.test_connection} is {@code Enabled}.
     */
    private void test(Context ctx) {
        if (!api.services().config().connectionTestsEnabled()) {
            throw new ApiProblem(
                    403,
                    "Forbidden",
                    TESTING_DISABLED + " (set core.test_connection to Enabled in gust.yaml or"
                            + " GUST_CORE__TEST_CONNECTION=Enabled)");
        }
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String id = ApiRequest.text(body, "connection_id");
        Connection c = new Connection(
                id == null ? "connection_test" : id,
                ApiRequest.required("conn_type", ApiRequest.text(body, "conn_type")),
                ApiRequest.text(body, "description"),
                ApiRequest.text(body, "host"),
                ApiRequest.text(body, "schema"),
                ApiRequest.text(body, "login"),
                ApiRequest.text(body, "password"),
                port(body),
                extra(body));
        ConnectionTester.Result result = new ConnectionTester().test(c);
        api.audit(
                ctx, "connection.test", null, null, null, "connection_id=" + c.connId() + " status=" + result.status());
        ApiJson.ok(ctx, new TestResult(result.status(), result.message()));
    }

    private void get(Context ctx) {
        ApiJson.ok(ctx, response(find(ctx.pathParam("connection_id"))));
    }

    /**
     * Without {@code update_mask} every field in the body replaces the stored one and fields left
     * out keep their value (so a client that never saw the password does not erase it); with it,
     * only the named fields change, and a named field missing from the body is cleared.
     */
    private void patch(Context ctx) {
        String id = ctx.pathParam("connection_id");
        Connection c = find(id);
        Set<String> mask = ApiRequest.updateMask(ctx, MASK_FIELDS);
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String bodyId = ApiRequest.text(body, "connection_id");
        if (bodyId != null && !bodyId.equals(id)) {
            throw ApiProblem.badRequest("the body's connection_id '" + bodyId + "' differs from the path's '" + id
                    + "'; a connection cannot be renamed");
        }
        java.util.function.Predicate<String> changes = field -> mask.isEmpty() ? body.has(field) : mask.contains(field);
        String connType = changes.test("conn_type") ? ApiRequest.text(body, "conn_type") : c.connType();
        if (connType == null) {
            throw ApiProblem.badRequest("conn_type must be a string; a connection always has a type");
        }
        Connection updated = new Connection(
                id,
                connType,
                changes.test("description") ? ApiRequest.text(body, "description") : c.description(),
                changes.test("host") ? ApiRequest.text(body, "host") : c.host(),
                changes.test("schema") ? ApiRequest.text(body, "schema") : c.schema(),
                changes.test("login") ? ApiRequest.text(body, "login") : c.login(),
                changes.test("password") ? ApiRequest.text(body, "password") : c.password(),
                changes.test("port") ? port(body) : c.port(),
                changes.test("extra") ? extra(body) : c.extra());
        connections.update(updated);
        api.audit(ctx, "connection.update", null, null, null, "connection_id=" + id);
        ApiJson.ok(ctx, response(updated));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("connection_id");
        if (!connections.delete(id)) {
            throw notFound(id);
        }
        api.audit(ctx, "connection.delete", null, null, null, "connection_id=" + id);
        ctx.status(204);
    }

    private Connection find(String id) {
        return connections.find(id).orElseThrow(() -> notFound(id));
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound(
                "Connection not found", "there is no connection '" + id + "'; GET /api/v1/connections lists them");
    }

    private static Integer port(ObjectNode body) {
        Integer port = ApiRequest.integer(body, "port");
        if (port != null && (port < 0 || port > 65535)) {
            throw ApiProblem.badRequest("port must be between 0 and 65535, got " + port);
        }
        return port;
    }

    /** {@code extra} is a JSON string in Airflow's schema; a JSON object is accepted too. */
    private static String extra(ObjectNode body) {
        JsonNode extra = body.get("extra");
        if (extra == null || extra.isNull()) {
            return null;
        }
        return extra.isTextual() ? extra.asText() : extra.toString();
    }

    private static ConnectionResponse response(Connection c) {
        return new ConnectionResponse(
                c.connId(),
                c.connType(),
                c.description(),
                c.host(),
                c.login(),
                c.schema(),
                c.port(),
                maskExtra(c.extra()));
    }

    /**
     * The extra with the values of sensitive keys (token, secret, key...) masked at any depth
     * ({@code {"auth": {"api_token": ...}}} too); one that is not a JSON object is masked whole.
     */
    static String maskExtra(String extra) {
        if (extra == null || extra.isBlank()) {
            return extra;
        }
        try {
            Object tree = ApiJson.MAPPER.readValue(extra, Object.class);
            if (!(tree instanceof Map<?, ?>)) {
                return SensitiveNames.MASK;
            }
            return ApiJson.MAPPER.writeValueAsString(SensitiveNames.redact(tree));
        } catch (JsonProcessingException e) {
            return SensitiveNames.MASK;
        }
    }
}
