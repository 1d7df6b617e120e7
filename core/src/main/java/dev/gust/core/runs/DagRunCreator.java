package dev.gust.core.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.schedule.RunIds;
import dev.gust.core.schedule.TimeRestriction;
import dev.gust.core.schedule.Timetable;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewDagRun;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates DAG runs: every due scheduled run of a DAG (what its Quartz trigger fires), manual runs
 * and backfills. Creation is idempotent: the database's unique key on (DAG, logical date) means a
 * misfire, a restart or two schedulers firing the same trigger never make a run twice, and
 * because the next interval is computed from the latest run in the database, none is skipped.
 */
public final class DagRunCreator implements DagRunTrigger {

    /** Enough for years of a daily DAG; more would be created on the next fire. */
    private static final int MAX_RUNS_PER_FIRE = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DagRunRepository dagRuns;
    private final DagDefinitions definitions;
    private final boolean catchupByDefault;
    private final Clock clock;

    public DagRunCreator(DagRunRepository dagRuns, DagDefinitions definitions, boolean catchupByDefault, Clock clock) {
        this.dagRuns = dagRuns;
        this.definitions = definitions;
        this.catchupByDefault = catchupByDefault;
        this.clock = clock;
    }

    /** Creates every scheduled run of the DAG that is due now; paused DAGs get none. */
    public List<DagRun> createDueRuns(String dagId) {
        DagDefinitions.Loaded loaded = definitions.get(dagId).orElse(null);
        if (loaded == null || loaded.paused()) {
            return List.of();
        }
        Dag dag = loaded.dag();
        Timetable timetable = Timetable.of(dag);
        DataInterval last = lastAutomatedInterval(dagId);
        List<DagRun> created = new ArrayList<>();
        for (DataInterval interval : timetable.dueIntervals(
                last, TimeRestriction.of(dag, catchupByDefault), clock.instant(), MAX_RUNS_PER_FIRE)) {
            dagRuns.create(new NewDagRun(
                            dagId,
                            RunIds.scheduled(interval.start()),
                            interval.start(),
                            interval.start(),
                            interval.end(),
                            "scheduled",
                            "{}",
                            false,
                            loaded.versionHash(),
                            null))
                    .ifPresent(created::add);
        }
        return created;
    }

    /**
     * The data interval of the DAG's next scheduled run (Airflow's {@code next_dagrun} fields),
     * following its latest scheduled run in the database; empty when it will have none.
     */
    public Optional<DataInterval> nextDagrun(String dagId) {
        return definitions
                .get(dagId)
                .flatMap(loaded -> Timetable.of(loaded.dag())
                        .nextAfter(
                                lastAutomatedInterval(dagId),
                                TimeRestriction.of(loaded.dag(), catchupByDefault),
                                clock.instant()));
    }

    /** When the DAG's next scheduled run is due (the end of its next interval), if it has one. */
    public Optional<Instant> nextRunCreationTime(String dagId) {
        return nextDagrun(dagId).map(DataInterval::end);
    }

    /** The data interval of the DAG's latest scheduled run, where the next one follows on; null before the first. */
    private DataInterval lastAutomatedInterval(String dagId) {
        return dagRuns.latestAutomated(dagId)
                .map(run -> new DataInterval(run.dataIntervalStart(), run.dataIntervalEnd()))
                .orElse(null);
    }

    @Override
    public String trigger(String dagId, Map<String, Object> conf, Instant logicalDate, String note) {
        Instant date = (logicalDate != null ? logicalDate : clock.instant()).truncatedTo(ChronoUnit.MICROS);
        return triggerWithRunId(dagId, null, conf, date, note)
                .map(DagRun::runId)
                .orElseThrow(() -> new IllegalArgumentException("DAG '" + dagId + "' already has a run at logical date "
                        + date + "; choose another --logical-date"));
    }

    /** Creates the backfill runs of {@code [start, end]} (logical dates); returns those that were new. */
    public List<DagRun> backfill(String dagId, Instant start, Instant end, Map<String, Object> conf) {
        DagDefinitions.Loaded loaded = definition(dagId);
        List<DagRun> created = new ArrayList<>();
        for (DataInterval interval : Timetable.of(loaded.dag()).intervalsBetween(start, end)) {
            dagRuns.create(new NewDagRun(
                            dagId,
                            RunIds.backfill(interval.start()),
                            interval.start(),
                            interval.start(),
                            interval.end(),
                            "backfill",
                            toJson(conf),
                            false,
                            loaded.versionHash(),
                            null))
                    .ifPresent(created::add);
        }
        return created;
    }

    /**
     * A manual run with the caller's run id (the REST API's {@code dag_run_id}) and note; null for the
     * usual {@code manual__<date>}. Empty when the DAG already has a run with that id or logical
     * date, which the API answers with 409.
     */
    public Optional<DagRun> triggerWithRunId(
            String dagId, String runId, Map<String, Object> conf, Instant logicalDate, String note) {
        return triggerWithRunId(dagId, runId, conf, logicalDate, null, note);
    }

    /**
     * {@link #triggerWithRunId(String, String, Map, Instant, String)} over the caller's data interval
     * (Airflow's {@code data_interval_start}/{@code _end} on trigger); null for the one the timetable
     * infers. The logical date is kept to the microsecond, as the database keeps it, so that the run
     * id written from it and the stored date agree.
     */
    public Optional<DagRun> triggerWithRunId(
            String dagId,
            String runId,
            Map<String, Object> conf,
            Instant logicalDate,
            DataInterval dataInterval,
            String note) {
        DagDefinitions.Loaded loaded = definition(dagId);
        Instant date = (logicalDate != null ? logicalDate : clock.instant()).truncatedTo(ChronoUnit.MICROS);
        DataInterval interval =
                dataInterval != null ? dataInterval : Timetable.of(loaded.dag()).forManualRun(date);
        return dagRuns.create(new NewDagRun(
                dagId,
                runId != null ? runId : RunIds.manual(date),
                date,
                interval.start(),
                interval.end(),
                "manual",
                toJson(conf),
                true,
                loaded.versionHash(),
                note));
    }

    private DagDefinitions.Loaded definition(String dagId) {
        return definitions
                .get(dagId)
                .orElseThrow(
                        () -> new IllegalArgumentException("no DAG '" + dagId + "'; 'gust dags list' shows the DAGs"));
    }

    private static String toJson(Map<String, Object> conf) {
        try {
            return JSON.writeValueAsString(conf == null ? Map.of() : conf);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the run's conf is not JSON: " + e.getMessage(), e);
        }
    }
}
