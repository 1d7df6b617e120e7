package dev.gust.webserver.api.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.store.runs.DagRun;
import dev.gust.webserver.api.ApiJson;
import java.time.Instant;
import java.util.List;

/**
 * Airflow's {@code DAGRun} schema. {@code execution_date} is the logical date under its old
 * name, as Airflow still sends both.
 */
public record DagRunResponse(
        String dagRunId,
        String dagId,
        Instant logicalDate,
        Instant executionDate,
        Instant startDate,
        Instant endDate,
        Instant dataIntervalStart,
        Instant dataIntervalEnd,
        Instant lastSchedulingDecision,
        String runType,
        String state,
        boolean externalTrigger,
        JsonNode conf,
        String note) {

    /** Airflow's {@code DAGRunCollection}. */
    public record Collection(List<DagRunResponse> dagRuns, long totalEntries) {}

    public static DagRunResponse of(DagRun run) {
        return new DagRunResponse(
                run.runId(),
                run.dagId(),
                run.logicalDate(),
                run.logicalDate(),
                run.startDate(),
                run.endDate(),
                run.dataIntervalStart(),
                run.dataIntervalEnd(),
                null,
                run.runType(),
                run.state().dbName(),
                run.externalTrigger(),
                ApiJson.tree(run.conf()),
                run.note());
    }
}
