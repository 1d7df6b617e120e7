package dev.gust.core.store.runs;

import dev.gust.core.store.Params;

/**
 * Limits the scheduler's queries to one DAG run: what {@code gust dags test} uses to run a single
 * run in-process without touching any other. Null everywhere means "all runs".
 */
public record RunFilter(String dagId, String runId) {

    static Params params(RunFilter filter) {
        return Params.of("dagId", filter == null ? null : filter.dagId())
                .and("runId", filter == null ? null : filter.runId());
    }

    public boolean matches(String dagId, String runId) {
        return this.dagId.equals(dagId) && this.runId.equals(runId);
    }
}
