package dev.gust.core.store.runs;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.DagRunTransition;
import dev.gust.core.state.PastRunDependency;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.RowMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code dag_run} table. Creating a run is idempotent (one run per DAG and logical date,
 * enforced by a unique key), so a misfired trigger, a restart or two schedulers never make two;
 * every state change is conditional on the state the writer saw.
 */
public final class DagRunRepository {

    private static final String COLUMNS = """
            id, dag_id, run_id, logical_date, data_interval_start, data_interval_end, state, run_type,
            conf::text AS conf, external_trigger, queued_at, start_date, end_date, dag_version_hash, note""";

    static final RowMapper<DagRun> DAG_RUN = row -> new DagRun(
            row.getLong("id"),
            row.getString("dag_id"),
            row.getString("run_id"),
            Jdbc.instant(row, "logical_date"),
            Jdbc.instant(row, "data_interval_start"),
            Jdbc.instant(row, "data_interval_end"),
            DagRunState.fromDbName(row.getString("state")),
            row.getString("run_type"),
            row.getString("conf"),
            row.getBoolean("external_trigger"),
            Jdbc.instant(row, "queued_at"),
            Jdbc.instant(row, "start_date"),
            Jdbc.instant(row, "end_date"),
            row.getString("dag_version_hash"),
            row.getString("note"));

    private final Jdbc jdbc;

    public DagRunRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the run in state queued; empty when a run for that DAG and logical date (or run id) exists. */
    public Optional<DagRun> create(NewDagRun run) {
        return jdbc.queryOne(
                """
                INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state,
                                     run_type, conf, external_trigger, queued_at, dag_version_hash, note)
                VALUES (:dagId, :runId, :logicalDate, :start, :end, :queued, :runType, CAST(:conf AS jsonb),
                        :external, now(), :hash, :note)
                ON CONFLICT DO NOTHING
                RETURNING\s""" + COLUMNS,
                Params.of("dagId", run.dagId())
                        .and("runId", run.runId())
                        .and("logicalDate", run.logicalDate())
                        .and("start", run.dataIntervalStart())
                        .and("end", run.dataIntervalEnd())
                        .and("runType", run.runType())
                        .and("conf", run.confJson() == null ? "{}" : run.confJson())
                        .and("external", run.externalTrigger())
                        .and("hash", run.dagVersionHash())
                        .and("note", run.note())
                        .and("queued", DagRunState.QUEUED),
                DAG_RUN);
    }

    /** Sets (or, with null, removes) the run's note; false when there is no such run. */
    public boolean setNote(long id, String note) {
        return jdbc.update(
                        "UPDATE dag_run SET note = :note, updated_at = now() WHERE id = :id",
                        Params.of("id", id).and("note", note))
                == 1;
    }

    public Optional<DagRun> find(String dagId, String runId) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = :dagId AND run_id = :runId",
                Params.of("dagId", dagId).and("runId", runId),
                DAG_RUN);
    }

    /**
     * The runs of these (DAG id, run id) pairs that exist, read in one statement: an executor that
     * claimed tries of many runs at once reads their runs together.
     */
    public List<DagRun> findAll(Collection<TaskInstanceKey> keysOfRuns) {
        if (keysOfRuns.isEmpty()) {
            return List.of();
        }
        List<String> dagIds = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        keysOfRuns.stream()
                .map(key -> List.of(key.dagId(), key.runId()))
                .distinct()
                .forEach(pair -> {
                    dagIds.add(pair.get(0));
                    runIds.add(pair.get(1));
                });
        return jdbc.query("SELECT " + COLUMNS + """
                 FROM dag_run
                WHERE (dag_id, run_id) IN (SELECT * FROM unnest(CAST(:dagIds AS text[]), CAST(:runIds AS text[])))""", Params.of("dagIds", dagIds).and("runIds", runIds), DAG_RUN);
    }

    public Optional<DagRun> findByLogicalDate(String dagId, Instant logicalDate) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM dag_run WHERE dag_id = :dagId AND logical_date = :date",
                Params.of("dagId", dagId).and("date", logicalDate),
                DAG_RUN);
    }

    /** Runs of a DAG, newest logical date first; {@code state} null for all. */
    public List<DagRun> listForDag(String dagId, DagRunState state, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + """
                 FROM dag_run
                WHERE dag_id = :dagId AND (CAST(:state AS text) IS NULL OR state = :state)
                ORDER BY logical_date DESC
                LIMIT :limit""",
                Params.of("dagId", dagId)
                        .and("state", state == null ? null : state.dbName())
                        .and("limit", limit),
                DAG_RUN);
    }

    /**
     * Runs of a DAG as the UI filters them (Airflow's grid and run list): newest logical date
     * first, with a logical date at or before {@code before}, of one state and one run type;
     * any of the three null for all.
     */
    public List<DagRun> listForDag(String dagId, DagRunState state, String runType, Instant before, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + """
                 FROM dag_run
                WHERE dag_id = :dagId AND (CAST(:state AS text) IS NULL OR state = :state)
                  AND (CAST(:runType AS text) IS NULL OR run_type = :runType)
                  AND (CAST(:before AS timestamptz) IS NULL OR logical_date <= :before)
                ORDER BY logical_date DESC
                LIMIT :limit""",
                Params.of("dagId", dagId)
                        .and("state", state == null ? null : state.dbName())
                        .and("runType", runType)
                        .and("before", before)
                        .and("limit", limit),
                DAG_RUN);
    }

    /** Every queued or running run, oldest first: the scheduling loop's working set. */
    public List<DagRun> listUnfinished() {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM dag_run WHERE state = ANY(:unfinished) ORDER BY logical_date, id",
                Params.of("unfinished", DagRunState.UNFINISHED),
                DAG_RUN);
    }

    /**
     * The run of {@code dagId} with the latest logical date before {@code before}, with the states
     * of its task instances, for {@link PastRunDependency}; manual runs are passed over unless
     * {@code includeManual}. Empty when there is none.
     */
    public Optional<PastRunDependency.PreviousRun> previousRun(String dagId, Instant before, boolean includeManual) {
        record Row(String runId, Instant logicalDate, DagRunState state, String taskId, String taskState) {}
        List<Row> rows = jdbc.query(
                """
                SELECT r.run_id, r.logical_date, r.state, ti.task_id, ti.state AS task_state
                  FROM (SELECT run_id, logical_date, state
                          FROM dag_run
                         WHERE dag_id = :dagId AND logical_date < :before AND (:includeManual OR run_type <> 'manual')
                         ORDER BY logical_date DESC
                         LIMIT 1) r
                  LEFT JOIN task_instance ti ON ti.dag_id = :dagId AND ti.run_id = r.run_id""",
                Params.of("dagId", dagId).and("before", before).and("includeManual", includeManual),
                row -> new Row(
                        row.getString("run_id"),
                        Jdbc.instant(row, "logical_date"),
                        DagRunState.fromDbName(row.getString("state")),
                        row.getString("task_id"),
                        row.getString("task_state")));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<TaskState>> states = new HashMap<>();
        for (Row row : rows) {
            if (row.taskId() != null) {
                states.computeIfAbsent(row.taskId(), id -> new ArrayList<>())
                        .add(TaskState.fromDbName(row.taskState()));
            }
        }
        Row first = rows.getFirst();
        return Optional.of(new PastRunDependency.PreviousRun(
                first.runId(), first.logicalDate(), first.state() != DagRunState.QUEUED, states));
    }

    /** The latest run a schedule made (scheduled or backfill), for the next interval's arithmetic. */
    public Optional<DagRun> latestAutomated(String dagId) {
        return jdbc.queryOne("SELECT " + COLUMNS + """
                 FROM dag_run
                WHERE dag_id = :dagId AND run_type = 'scheduled'
                ORDER BY logical_date DESC
                LIMIT 1""", Params.of("dagId", dagId), DAG_RUN);
    }

    /**
     * Moves a run from {@code from} to {@code to}, stamping start (on running) and end (on a
     * final state) dates; false when another process moved it first.
     *
     * @throws IllegalStateException when {@link DagRunTransition} has no such change (a bug in the caller)
     */
    public boolean transition(long id, DagRunState from, DagRunState to) {
        DagRunTransition.check(from, to);
        return jdbc.update(
                        """
                UPDATE dag_run
                   SET state = :to,
                       start_date = CASE WHEN :starts THEN coalesce(start_date, now()) ELSE start_date END,
                       end_date = CASE WHEN :ends THEN now() ELSE NULL END,
                       updated_at = now()
                 WHERE id = :id AND state = :from""",
                        Params.of("id", id)
                                .and("from", from)
                                .and("to", to)
                                .and("starts", to == DagRunState.RUNNING)
                                .and("ends", to.isFinished()))
                == 1;
    }

    /** Puts a finished run back to queued (a clear), so the loop picks it up again. */
    public boolean requeue(long id) {
        return jdbc.update(
                        """
                UPDATE dag_run SET state = :queued, end_date = NULL, updated_at = now()
                 WHERE id = :id AND state = ANY(:from)""",
                        Params.of("id", id)
                                .and("queued", DagRunState.QUEUED)
                                .and("from", DagRunTransition.REQUEUE.from()))
                == 1;
    }

    public boolean delete(String dagId, String runId) {
        return jdbc.update(
                        "DELETE FROM dag_run WHERE dag_id = :dagId AND run_id = :runId",
                        Params.of("dagId", dagId).and("runId", runId))
                == 1;
    }
}
