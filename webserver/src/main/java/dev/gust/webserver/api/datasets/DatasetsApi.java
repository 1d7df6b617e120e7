package dev.gust.webserver.api.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.store.datasets.Dataset;
import dev.gust.core.store.datasets.DatasetEvent;
import dev.gust.core.store.datasets.DatasetRepository;
import dev.gust.core.store.datasets.QueuedEvent;
import dev.gust.core.store.datasets.TriggeredRun;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.runs.DagRun;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Airflow 2's dataset endpoints: {@code /datasets} and {@code /datasets/{uri}} (each dataset with
 * the DAGs scheduled on it and the tasks that update it), {@code /datasets/events} (listed with
 * Airflow's filters, and created from outside with POST, as Airflow 2.9+), a run's
 * {@code upstreamDatasetEvents} (the events it consumed), and the queued events of a consumer
 * DAG or of a dataset (read and deleted). A dataset URI in a path is URL-encoded, as Airflow's
 * clients send it.
 */
public final class DatasetsApi {

    private static final Set<String> EVENT_FIELDS = Set.of("dataset_uri", "extra");

    /** Airflow's {@code DagScheduleDatasetReference}. */
    public record ConsumerResponse(String dagId, Instant createdAt, Instant updatedAt) {}

    /** Airflow's {@code TaskOutletDatasetReference}. */
    public record ProducerResponse(String dagId, String taskId, Instant createdAt, Instant updatedAt) {}

    /** Airflow's {@code Dataset}; Gust has no dataset aliases, so {@code aliases} is empty. */
    public record DatasetResponse(
            long id,
            String uri,
            JsonNode extra,
            Instant createdAt,
            Instant updatedAt,
            List<ConsumerResponse> consumingDags,
            List<ProducerResponse> producingTasks,
            List<Object> aliases) {

        static DatasetResponse of(Dataset d) {
            return new DatasetResponse(
                    d.id(),
                    d.uri(),
                    ApiJson.tree(d.extra()),
                    d.createdAt(),
                    d.updatedAt(),
                    d.consumingDags().stream()
                            .map(c -> new ConsumerResponse(c.dagId(), c.createdAt(), c.updatedAt()))
                            .toList(),
                    d.producingTasks().stream()
                            .map(p -> new ProducerResponse(p.dagId(), p.taskId(), p.createdAt(), p.updatedAt()))
                            .toList(),
                    List.of());
        }
    }

    /** Airflow's {@code DatasetCollection}. */
    public record Datasets(List<DatasetResponse> datasets, long totalEntries) {}

    /** Airflow's {@code BasicDAGRun}. */
    public record BasicDagRun(
            String runId,
            String dagId,
            Instant logicalDate,
            Instant startDate,
            Instant endDate,
            Instant dataIntervalStart,
            Instant dataIntervalEnd,
            String state) {

        static BasicDagRun of(TriggeredRun r) {
            return new BasicDagRun(
                    r.runId(),
                    r.dagId(),
                    r.logicalDate(),
                    r.startDate(),
                    r.endDate(),
                    r.dataIntervalStart(),
                    r.dataIntervalEnd(),
                    r.state());
        }
    }

    /** Airflow's {@code DatasetEvent}. */
    public record DatasetEventResponse(
            long id,
            long datasetId,
            String datasetUri,
            JsonNode extra,
            String sourceDagId,
            String sourceTaskId,
            String sourceRunId,
            int sourceMapIndex,
            List<BasicDagRun> createdDagruns,
            Instant timestamp) {}

    /** Airflow's {@code DatasetEventCollection}. */
    public record DatasetEvents(List<DatasetEventResponse> datasetEvents, long totalEntries) {}

    /** Airflow's {@code QueuedEvent}. */
    public record QueuedEventResponse(String uri, String dagId, Instant createdAt) {
        static QueuedEventResponse of(QueuedEvent q) {
            return new QueuedEventResponse(q.uri(), q.dagId(), q.createdAt());
        }
    }

    /** Airflow's {@code QueuedEventCollection}. */
    public record QueuedEvents(List<QueuedEventResponse> queuedEvents, long totalEntries) {}

    private final ApiContext api;
    private final DatasetRepository datasets;
    private final Clock clock;

    private DatasetsApi(ApiContext api) {
        this.api = api;
        this.datasets = api.services().stores().datasets();
        this.clock = api.services().clock();
    }

    public static void register(ApiRouter router, ApiContext api) {
        DatasetsApi h = new DatasetsApi(api);
        router.get("/datasets", h::list, Role.VIEWER);
        router.get("/datasets/events", h::events, Role.VIEWER);
        router.post("/datasets/events", h::createEvent, Role.USER);
        router.get("/datasets/queuedEvent/{uri}", h::queuedOfDataset, Role.VIEWER);
        router.delete("/datasets/queuedEvent/{uri}", h::deleteQueuedOfDataset, Role.USER);
        router.get("/datasets/{uri}", h::get, Role.VIEWER);
        router.get("/dags/{dag_id}/dagRuns/{dag_run_id}/upstreamDatasetEvents", h::upstream, Role.VIEWER);
        router.get("/dags/{dag_id}/datasets/queuedEvent", h::queuedOfDag, Role.VIEWER);
        router.delete("/dags/{dag_id}/datasets/queuedEvent", h::deleteQueuedOfDag, Role.USER);
        router.get("/dags/{dag_id}/datasets/queuedEvent/{uri}", h::queuedOfDagAndDataset, Role.VIEWER);
        router.delete("/dags/{dag_id}/datasets/queuedEvent/{uri}", h::deleteQueuedOfDagAndDataset, Role.USER);
    }

    private void list(Context ctx) {
        String pattern = ApiRequest.textParam(ctx, "uri_pattern");
        List<String> dagIds = ApiRequest.listParam(ctx, "dag_ids");
        api.answerPage(
                ctx,
                DatasetRepository::datasetOrder,
                (order, limit, offset) -> datasets.page(pattern, dagIds, order, limit, offset),
                DatasetResponse::of,
                Datasets::new);
    }

    private void get(Context ctx) {
        String uri = ctx.pathParam("uri");
        Dataset dataset = datasets.find(uri)
                .orElseThrow(() -> ApiProblem.notFound(
                        "Dataset not found",
                        "there is no dataset '" + uri + "'; GET /api/v1/datasets lists them (URL-encode the URI)"));
        ApiJson.ok(ctx, DatasetResponse.of(dataset));
    }

    private void events(Context ctx) {
        String mapIndex = ApiRequest.textParam(ctx, "source_map_index");
        String datasetId = ApiRequest.textParam(ctx, "dataset_id");
        DatasetRepository.EventFilter filter = new DatasetRepository.EventFilter(
                datasetId == null ? null : number("dataset_id", datasetId),
                ApiRequest.textParam(ctx, "source_dag_id"),
                ApiRequest.textParam(ctx, "source_task_id"),
                ApiRequest.textParam(ctx, "source_run_id"),
                mapIndex == null ? null : (int) number("source_map_index", mapIndex));
        ApiRequest.Paging paging = api.paging(ctx);
        Page<DatasetEvent> page = datasets.events(
                filter, DatasetRepository.eventOrder(ctx.queryParam("order_by")), paging.limit(), paging.offset());
        ApiJson.ok(ctx, new DatasetEvents(withRuns(page.items()), page.totalEntries()));
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be a whole number, got '" + value + "'");
        }
    }

    private void createEvent(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, EVENT_FIELDS);
        String uri = ApiRequest.required("dataset_uri", ApiRequest.text(body, "dataset_uri"));
        JsonNode extra = body.get("extra");
        if (extra != null && !extra.isNull() && !extra.isObject()) {
            throw ApiProblem.badRequest("extra must be a JSON object");
        }
        String extraJson = extra == null || extra.isNull() ? "{}" : extra.toString();
        DatasetEvent event = datasets.recordExternalEvent(uri, extraJson, clock.instant())
                .orElseThrow(() -> ApiProblem.notFound(
                        "Dataset not found",
                        "there is no dataset '" + uri + "'; a dataset exists once a DAG names it in a schedule or"
                                + " in a task's outlets"));
        api.audit(ctx, "dataset.create_event", null, null, null, "uri=" + uri);
        ApiJson.ok(ctx, withRuns(List.of(event)).getFirst());
    }

    private void upstream(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        String runId = ctx.pathParam("dag_run_id");
        DagRun run = api.services()
                .stores()
                .dagRuns()
                .find(dagId, runId)
                .orElseThrow(() -> ApiProblem.notFound(
                        "DAGRun not found",
                        "DAG '" + dagId + "' has no run '" + runId + "'; GET /api/v1/dags/" + dagId
                                + "/dagRuns lists them"));
        List<DatasetEventResponse> events = withRuns(datasets.consumedBy(run.id()));
        ApiJson.ok(ctx, new DatasetEvents(events, events.size()));
    }

    private void queuedOfDag(Context ctx) {
        answerQueued(ctx, ctx.pathParam("dag_id"), null);
    }

    private void queuedOfDataset(Context ctx) {
        answerQueued(ctx, null, ctx.pathParam("uri"));
    }

    private void queuedOfDagAndDataset(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        String uri = ctx.pathParam("uri");
        List<QueuedEvent> queued = datasets.queued(dagId, uri, ApiRequest.dateParam(ctx, "before"));
        if (queued.isEmpty()) {
            throw noQueued(dagId, uri);
        }
        ApiJson.ok(ctx, QueuedEventResponse.of(queued.getFirst()));
    }

    private void answerQueued(Context ctx, String dagId, String uri) {
        List<QueuedEvent> queued = datasets.queued(dagId, uri, ApiRequest.dateParam(ctx, "before"));
        if (queued.isEmpty()) {
            throw noQueued(dagId, uri);
        }
        ApiJson.ok(
                ctx,
                new QueuedEvents(queued.stream().map(QueuedEventResponse::of).toList(), queued.size()));
    }

    private void deleteQueuedOfDag(Context ctx) {
        deleteQueued(ctx, ctx.pathParam("dag_id"), null);
    }

    private void deleteQueuedOfDataset(Context ctx) {
        deleteQueued(ctx, null, ctx.pathParam("uri"));
    }

    private void deleteQueuedOfDagAndDataset(Context ctx) {
        deleteQueued(ctx, ctx.pathParam("dag_id"), ctx.pathParam("uri"));
    }

    private void deleteQueued(Context ctx, String dagId, String uri) {
        if (datasets.deleteQueued(dagId, uri, ApiRequest.dateParam(ctx, "before")) == 0) {
            throw noQueued(dagId, uri);
        }
        api.audit(ctx, "dataset.delete_queued_events", dagId, null, null, uri == null ? null : "uri=" + uri);
        ctx.status(204);
    }

    private static ApiProblem noQueued(String dagId, String uri) {
        String what = dagId != null && uri != null
                ? "DAG '" + dagId + "' and dataset '" + uri + "'"
                : dagId != null ? "DAG '" + dagId + "'" : "dataset '" + uri + "'";
        return ApiProblem.notFound("Queue event not found", "there are no queued dataset events of " + what);
    }

    private List<DatasetEventResponse> withRuns(List<DatasetEvent> events) {
        Map<Long, List<TriggeredRun>> runs =
                datasets.runsTriggeredBy(events.stream().map(DatasetEvent::id).toList());
        return events.stream()
                .map(e -> new DatasetEventResponse(
                        e.id(),
                        e.datasetId(),
                        e.datasetUri(),
                        ApiJson.tree(e.extra()),
                        e.sourceDagId(),
                        e.sourceTaskId(),
                        e.sourceRunId(),
                        e.sourceMapIndex(),
                        runs.getOrDefault(e.id(), List.of()).stream()
                                .map(BasicDagRun::of)
                                .toList(),
                        e.timestamp()))
                .toList();
    }
}
