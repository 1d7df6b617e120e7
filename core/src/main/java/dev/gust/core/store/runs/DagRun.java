package dev.gust.core.store.runs;

import dev.gust.core.state.DagRunState;
import java.time.Instant;

/**
 * One row of {@code dag_run}: a run of a DAG over a data interval. {@code conf} is JSON text;
 * {@code note} a user's note on the run (null for none).
 */
public record DagRun(
        long id,
        String dagId,
        String runId,
        Instant logicalDate,
        Instant dataIntervalStart,
        Instant dataIntervalEnd,
        DagRunState state,
        String runType,
        String conf,
        boolean externalTrigger,
        Instant queuedAt,
        Instant startDate,
        Instant endDate,
        String dagVersionHash,
        String note) {}
