package dev.gust.webserver.api.dags;

import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.dagwarnings.StoredDagWarning;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * Airflow's {@code GET /dagWarnings}: the warnings the DAG folder sync stored for active DAGs
 * (today: bash commands that put a run's conf into the shell unquoted), filtered by
 * {@code dag_id} and {@code warning_type}, paged and ordered as every listing. Viewers may read
 * them, as Airflow's default roles.
 */
public final class DagWarningsApi {

    /** Airflow's {@code DagWarning}. */
    public record DagWarningResponse(String dagId, String warningType, String message, Instant timestamp) {

        static DagWarningResponse of(StoredDagWarning w) {
            return new DagWarningResponse(w.dagId(), w.warningType(), w.message(), w.timestamp());
        }
    }

    /** Airflow's {@code DagWarningCollection}. */
    public record DagWarnings(List<DagWarningResponse> dagWarnings, long totalEntries) {}

    private final ApiContext api;
    private final DagWarningRepository warnings;

    private DagWarningsApi(ApiContext api) {
        this.api = api;
        this.warnings = api.services().stores().dagWarnings();
    }

    public static void register(ApiRouter router, ApiContext api) {
        router.get("/dagWarnings", new DagWarningsApi(api)::list, Role.VIEWER);
    }

    private void list(Context ctx) {
        api.answerPage(
                ctx,
                paging -> warnings.page(
                        ApiRequest.textParam(ctx, "dag_id"),
                        ApiRequest.textParam(ctx, "warning_type"),
                        DagWarningRepository.orderBy(ctx.queryParam("order_by")),
                        paging.limit(),
                        paging.offset()),
                DagWarningResponse::of,
                DagWarnings::new);
    }
}
