package dev.gust.core.testing;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRecord;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewDagRun;
import java.time.Instant;
import java.util.List;

/**
 * The rows repository tests start from, written through the repositories: one daily DAG (its
 * serialized form empty) and manual runs of it, one a day from {@link #FIRST_DAY}.
 */
public final class StoredRuns {

    /** The logical date of a run on day 0. */
    public static final Instant FIRST_DAY = Instant.parse("2026-01-01T00:00:00Z");

    private StoredRuns() {}

    /** Empties the DAG table (runs and task instances go with their DAG) and stores {@code dagId}. */
    public static void onlyDag(Jdbc jdbc, String dagId) {
        jdbc.update("DELETE FROM dag", Params.none());
        new DagRepository(jdbc)
                .upsert(
                        new DagRecord(
                                dagId,
                                dagId + ".yaml",
                                "",
                                "owner",
                                List.of(),
                                "@daily",
                                "daily",
                                16,
                                16,
                                "{}",
                                "h",
                                null,
                                null,
                                null),
                        true);
    }

    /** A new (queued) manual run of {@code dagId} whose logical date is {@code day} days after {@link #FIRST_DAY}. */
    public static DagRun manualRun(Jdbc jdbc, String dagId, String runId, long day) {
        Instant date = FIRST_DAY.plusSeconds(86400 * day);
        return new DagRunRepository(jdbc)
                .create(new NewDagRun(
                        dagId, runId, date, date, date.plusSeconds(86400), "manual", "{}", true, "h", null))
                .orElseThrow();
    }
}
