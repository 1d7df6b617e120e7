package dev.gust.webserver.api.sla;

import dev.gust.core.store.query.Page;
import dev.gust.core.store.sla.SlaMiss;
import dev.gust.core.store.sla.SlaMissRepository;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * A Gust extension, {@code GET /api/v1/gust/slaMisses} (Airflow 2.10's API has no SLA endpoint;
 * its UI's SLA misses page reads the {@code sla_miss} table): the recorded SLA and deadline misses,
 * newest first, of one DAG with {@code dag_id}, paged as every listing. Viewers may read them.
 */
public final class SlaMissesApi {

    /** One miss: Airflow's {@code SlaMiss} columns, plus the run, the kind and when it was due. */
    public record SlaMissResponse(
            String dagId,
            String taskId,
            String dagRunId,
            String kind,
            Instant executionDate,
            Instant expectedBy,
            Instant timestamp,
            boolean notificationSent,
            String description) {

        static SlaMissResponse of(SlaMiss m) {
            return new SlaMissResponse(
                    m.dagId(),
                    m.isDeadline() ? null : m.taskId(),
                    m.runId(),
                    m.isDeadline() ? "deadline" : "sla",
                    m.executionDate(),
                    m.expectedBy(),
                    m.timestamp(),
                    m.notificationSent(),
                    m.description());
        }
    }

    /** The page of misses and how many there are in all. */
    public record SlaMisses(List<SlaMissResponse> slaMisses, long totalEntries) {}

    private final ApiContext api;
    private final SlaMissRepository misses;

    private SlaMissesApi(ApiContext api) {
        this.api = api;
        this.misses = api.services().stores().slaMisses();
    }

    public static void register(ApiRouter router, ApiContext api) {
        router.get("/gust/slaMisses", new SlaMissesApi(api)::list, Role.VIEWER);
    }

    private void list(Context ctx) {
        String dagId = ApiRequest.textParam(ctx, "dag_id");
        api.answerPage(
                ctx,
                paging -> new Page<>(misses.list(dagId, paging.limit(), paging.offset()), misses.count(dagId)),
                SlaMissResponse::of,
                SlaMisses::new);
    }
}
