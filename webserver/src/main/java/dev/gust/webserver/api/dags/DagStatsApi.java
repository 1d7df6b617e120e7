package dev.gust.webserver.api.dags;

import dev.gust.core.state.DagRunState;
import dev.gust.core.store.runs.DagRunQuery;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Airflow's {@code GET /dagStats?dag_ids=a,b}: for each named DAG that exists, how many of its
 * runs are in each DAG run state (every state listed, 0 included).
 */
public final class DagStatsApi {

    /** Airflow's {@code DagStatsStateCollectionItem}. */
    public record StateCount(String state, long count) {}

    /** Airflow's {@code DagStatsCollectionItem}. */
    public record DagStats(String dagId, List<StateCount> stats) {}

    /** Airflow's {@code DagStatsCollectionSchema}. */
    public record Collection(List<DagStats> dags, long totalEntries) {}

    private final DagRunQuery runs;

    private DagStatsApi(ApiContext api) {
        this.runs = new DagRunQuery(api.services().jdbc());
    }

    public static void register(ApiRouter router, ApiContext api) {
        router.get("/dagStats", new DagStatsApi(api)::stats, Role.VIEWER);
    }

    private void stats(Context ctx) {
        List<String> dagIds = ApiRequest.listParam(ctx, "dag_ids");
        if (dagIds.isEmpty()) {
            throw ApiProblem.badRequest("dag_ids is required: the DAG ids separated by commas, like ?dag_ids=a,b");
        }
        Map<String, Map<String, Long>> counts = runs.stateCounts(dagIds);
        List<DagStats> dags = counts.entrySet().stream()
                .map(dag -> new DagStats(
                        dag.getKey(),
                        Arrays.stream(DagRunState.values())
                                .map(state -> new StateCount(
                                        state.dbName(), dag.getValue().getOrDefault(state.dbName(), 0L)))
                                .toList()))
                .toList();
        ApiJson.ok(ctx, new Collection(dags, dags.size()));
    }
}
