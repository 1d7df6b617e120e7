package dev.gust.webserver.api.monitoring;

import dev.gust.core.store.events.EventLogQuery;
import dev.gust.core.store.events.LoggedEvent;
import dev.gust.core.store.importerrors.ImportErrorQuery;
import dev.gust.core.store.importerrors.StoredImportError;
import dev.gust.webserver.BuildVersion;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import dev.gust.webserver.health.HealthProbe;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * What Airflow groups under monitoring: {@code /health} and {@code /version} (no login, as in
 * Airflow), {@code /importErrors} and {@code /eventLogs} (the audit log).
 */
public final class MonitoringApi {

    /** Airflow's {@code ImportError}; {@code stack_trace} holds Gust's one-line message with its line. */
    public record ImportErrorResponse(long importErrorId, Instant timestamp, String filename, String stackTrace) {

        static ImportErrorResponse of(StoredImportError e) {
            return new ImportErrorResponse(
                    e.id(),
                    e.timestamp(),
                    e.filename(),
                    (e.line() != null ? "line " + e.line() + ": " : "") + e.message());
        }
    }

    /** Airflow's {@code ImportErrorCollection}. */
    public record ImportErrors(List<ImportErrorResponse> importErrors, long totalEntries) {}

    /** Airflow's {@code EventLog}. */
    public record EventLogResponse(
            long eventLogId,
            Instant when,
            String dagId,
            String taskId,
            String runId,
            Integer mapIndex,
            Integer tryNumber,
            String event,
            Instant executionDate,
            String owner,
            String extra) {

        static EventLogResponse of(LoggedEvent e) {
            return new EventLogResponse(
                    e.id(),
                    e.dttm(),
                    e.event().dagId(),
                    e.event().taskId(),
                    e.event().runId(),
                    null,
                    null,
                    e.event().event(),
                    null,
                    e.event().owner(),
                    e.event().extra());
        }
    }

    /** Airflow's {@code EventLogCollection}. */
    public record EventLogs(List<EventLogResponse> eventLogs, long totalEntries) {}

    /** Airflow's {@code VersionInfo}. */
    public record VersionInfo(String version, String gitVersion) {}

    private final ApiContext api;
    private final HealthProbe health;

    private MonitoringApi(ApiContext api) {
        this.api = api;
        this.health = new HealthProbe(
                api.services().jdbc(),
                api.services().config().scheduler().healthCheckThreshold(),
                api.services().clock());
    }

    public static void register(ApiRouter router, ApiContext api) {
        MonitoringApi handlers = new MonitoringApi(api);
        router.get("/health", handlers::health, Role.PUBLIC);
        router.get("/version", handlers::version, Role.PUBLIC);
        router.get("/importErrors", handlers::importErrors, Role.VIEWER);
        router.get("/importErrors/{import_error_id}", handlers::importError, Role.VIEWER);
        router.get("/eventLogs", handlers::eventLogs, Role.VIEWER);
        router.get("/eventLogs/{event_log_id}", handlers::eventLog, Role.VIEWER);
    }

    /** Always 200, as Airflow's API health: the statuses in the body say what is wrong (the ALB probes {@code /health}). */
    private void health(Context ctx) {
        ApiJson.ok(ctx, health.check().body());
    }

    private void version(Context ctx) {
        ApiJson.ok(ctx, new VersionInfo(BuildVersion.version(), null));
    }

    private void importErrors(Context ctx) {
        api.answerPage(
                ctx,
                ImportErrorQuery::orderBy,
                new ImportErrorQuery(api.services().jdbc())::list,
                ImportErrorResponse::of,
                ImportErrors::new);
    }

    private void importError(Context ctx) {
        long id = id(ctx, "import_error_id");
        ApiJson.ok(
                ctx,
                ImportErrorResponse.of(new ImportErrorQuery(api.services().jdbc())
                        .find(id)
                        .orElseThrow(() -> ApiProblem.notFound(
                                "Import error not found",
                                "there is no import error " + id + "; GET /api/v1/importErrors lists them"))));
    }

    private void eventLogs(Context ctx) {
        api.answerPage(
                ctx,
                // paging, then the filter, then order_by: the order a bad parameter has always been reported in
                paging -> new EventLogQuery(api.services().jdbc())
                        .list(
                                eventLogFilter(ctx),
                                EventLogQuery.orderBy(ctx.queryParam("order_by")),
                                paging.limit(),
                                paging.offset()),
                EventLogResponse::of,
                EventLogs::new);
    }

    private static EventLogQuery.Filter eventLogFilter(Context ctx) {
        return new EventLogQuery.Filter(
                ApiRequest.textParam(ctx, "dag_id"),
                ApiRequest.textParam(ctx, "task_id"),
                ApiRequest.textParam(ctx, "run_id"),
                ApiRequest.textParam(ctx, "event"),
                ApiRequest.textParam(ctx, "owner"),
                ApiRequest.dateParam(ctx, "before"),
                ApiRequest.dateParam(ctx, "after"));
    }

    private void eventLog(Context ctx) {
        long id = id(ctx, "event_log_id");
        ApiJson.ok(
                ctx,
                EventLogResponse.of(new EventLogQuery(api.services().jdbc())
                        .find(id)
                        .orElseThrow(() -> ApiProblem.notFound(
                                "Event log not found",
                                "there is no event log entry " + id + "; GET /api/v1/eventLogs lists them"))));
    }

    private static long id(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be an integer, got '" + ctx.pathParam(name) + "'");
        }
    }
}
