package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.store.Jdbc;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.WebServices;
import dev.gust.webserver.auth.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /api/v1/openapi.json} describes exactly the routes the API
 * registers: same paths and methods, same least role, and every schema it refers to exists.
 */
class OpenApiDocumentTest {

    final JsonNode document = readDocument();
    final List<ApiRouter.Route> routes = registeredRoutes();

    @Test
    void everyRegisteredRouteIsDocumentedAndViceVersa() {
        Set<String> registered = new HashSet<>();
        for (ApiRouter.Route route : routes) {
            registered.add(route.method() + " " + route.path());
        }
        Set<String> documented = new HashSet<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(method -> documented.add(method.getKey() + " " + path.getKey())));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
        assertThat(routes).hasSizeGreaterThan(35);
    }

    @Test
    void eachOperationStatesTheRoleItsRouteDeclares() {
        for (ApiRouter.Route route : routes) {
            JsonNode operation = document.get("paths").get(route.path()).get(route.method());
            assertThat(operation.get("x-gust-role").asText())
                    .as(route.toString())
                    .isEqualTo(route.role().name().toLowerCase(Locale.ROOT));
            if (route.role() == Role.PUBLIC) {
                assertThat(operation.get("security")).as(route.toString()).isEmpty();
            }
        }
    }

    /**
     * Airflow's default roles: Viewer reads, User changes runs and DAGs, Op manages variables,
     * connections and pools and reads the configuration and providers, Admin users and roles.
     */
    @Test
    void routesNeedTheRolesAirflowGivesTheseActions() {
        for (ApiRouter.Route route : routes) {
            Role expected;
            if (route.path().matches("/(users|roles|permissions).*")) {
                expected = Role.ADMIN;
            } else if (route.path().matches("/(variables|connections|pools|config|providers).*")) {
                expected = Role.OP;
            } else if (route.path().matches("/(health|version|openapi\\.json)")) {
                expected = Role.PUBLIC;
            } else if (route.method().equals("get") || route.path().endsWith("/list")) {
                // the batch listings are POSTs only so that long filters fit; Airflow lets readers use them
                expected = Role.VIEWER;
            } else {
                expected = Role.USER;
            }
            assertThat(route.role()).as(route.method() + " " + route.path()).isEqualTo(expected);
        }
    }

    @Test
    void everyReferencedSchemaExists() {
        Matcher refs = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/components/schemas/([^\"]+)\"")
                .matcher(document.toString());
        List<String> missing = new ArrayList<>();
        while (refs.find()) {
            if (!document.get("components").get("schemas").has(refs.group(1))) {
                missing.add(refs.group(1));
            }
        }
        assertThat(missing).isEmpty();
        assertThat(document.get("openapi").asText()).startsWith("3.");
    }

    /**
     * docs/api.md tells users which of Airflow's 89 operations Gust answers: every row it calls
     * implemented is a documented route, and every documented route has its row, so the table cannot
     * drift from the code. Gust's extensions (under {@code /gust}) have rows of their own in the
     * "Gust extensions" section, checked the same way.
     */
    @Test
    void docsApiTableListsExactlyTheImplementedOperations() throws java.io.IOException {
        String table = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "api.md"));
        Matcher rows = Pattern.compile("(?m)^\\| `\\w+` \\| (\\w+) \\| `([^`]+)` \\| implemented")
                .matcher(table);
        Set<String> claimed = new HashSet<>();
        while (rows.find()) {
            claimed.add(rows.group(1).toLowerCase(Locale.ROOT) + " " + rows.group(2));
        }
        Set<String> documented = new HashSet<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(method -> documented.add(method.getKey() + " " + path.getKey())));
        documented.removeIf(route -> route.endsWith(" /openapi.json"));
        // Gust's own extensions live under /gust and are listed apart, in their own section
        Set<String> extensions = new HashSet<>(documented);
        extensions.removeIf(route -> !route.contains(" /gust/"));
        documented.removeAll(extensions);
        assertThat(claimed).hasSize(89).containsExactlyInAnyOrderElementsOf(documented);
        Matcher extensionRows = Pattern.compile("(?m)^\\| (\\w+) \\| `(/gust/[^`]+)` \\| Gust extension")
                .matcher(table);
        Set<String> listed = new HashSet<>();
        while (extensionRows.find()) {
            listed.add(extensionRows.group(1).toLowerCase(Locale.ROOT) + " " + extensionRows.group(2));
        }
        assertThat(listed).isNotEmpty().containsExactlyInAnyOrderElementsOf(extensions);
    }

    private static JsonNode readDocument() {
        try {
            return ApiTestServer.JSON.readTree(ApiRoutes.openApiDocument());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every {@code /api/v1} route the whole server registers (the API's own and those of other
     * features, such as users), as paths relative to {@code /api/v1}; nothing here touches the database.
     */
    private static List<ApiRouter.Route> registeredRoutes() {
        GustWebServer server =
                new GustWebServer(WebServices.create(ApiTestServer.config(), new Jdbc((DataSource) null)));
        return server.routes().stream()
                .filter(route -> route.path().startsWith(API_PREFIX))
                .map(route -> new ApiRouter.Route(
                        route.method().toLowerCase(Locale.ROOT), route.path().substring(API_PREFIX.length()), (Role)
                                route.roles().iterator().next()))
                .toList();
    }

    private static final String API_PREFIX = "/api/v1";
}
