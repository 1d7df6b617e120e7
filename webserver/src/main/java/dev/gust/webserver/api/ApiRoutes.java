package dev.gust.webserver.api;

import dev.gust.webserver.WebServices;
import dev.gust.webserver.api.admin.ConfigApi;
import dev.gust.webserver.api.admin.PluginsAndProvidersApi;
import dev.gust.webserver.api.connections.ConnectionsApi;
import dev.gust.webserver.api.dags.DagSourcesApi;
import dev.gust.webserver.api.dags.DagStatsApi;
import dev.gust.webserver.api.dags.DagWarningsApi;
import dev.gust.webserver.api.dags.DagsApi;
import dev.gust.webserver.api.datasets.DatasetsApi;
import dev.gust.webserver.api.monitoring.MonitoringApi;
import dev.gust.webserver.api.pools.PoolsApi;
import dev.gust.webserver.api.runs.DagRunsApi;
import dev.gust.webserver.api.security.RolesApi;
import dev.gust.webserver.api.sla.SlaMissesApi;
import dev.gust.webserver.api.tasks.TaskInstancesApi;
import dev.gust.webserver.api.tasks.TasksApi;
import dev.gust.webserver.api.variables.VariablesApi;
import dev.gust.webserver.auth.Role;
import dev.gust.webserver.users.UsersApi;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The REST API under {@code /api/v1}, in the shapes of Airflow's stable REST API, and its OpenAPI
 * document at {@code /api/v1/openapi.json} (a resource written by hand; a test keeps it and the
 * registered routes equal).
 */
public final class ApiRoutes {

    public static final String OPENAPI_RESOURCE = "/api/openapi.json";

    private ApiRoutes() {}

    /** Registers every API route and returns them (for the check against the OpenAPI document). */
    public static List<ApiRouter.Route> register(Javalin app, WebServices services) {
        ApiRouter router = new ApiRouter(app);
        ApiContext api = ApiContext.of(services);
        byte[] openApi = openApiDocument();
        router.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi), Role.PUBLIC);
        MonitoringApi.register(router, api);
        DagsApi.register(router, api);
        DagWarningsApi.register(router, api);
        DagSourcesApi.register(router, api);
        DagStatsApi.register(router, api);
        TasksApi.register(router, api);
        DagRunsApi.register(router, api);
        TaskInstancesApi.register(router, api);
        VariablesApi.register(router, api);
        ConnectionsApi.register(router, api);
        PoolsApi.register(router, api);
        DatasetsApi.register(router, api);
        UsersApi.register(router, api);
        RolesApi.register(router, api);
        ConfigApi.register(router, api);
        PluginsAndProvidersApi.register(router, api);
        // Gust's own extensions, under /gust (docs/api.md lists them apart from Airflow's operations)
        SlaMissesApi.register(router, api);
        return router.routes();
    }

    public static byte[] openApiDocument() {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
