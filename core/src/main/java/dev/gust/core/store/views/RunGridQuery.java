package dev.gust.core.store.views;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskGroupState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.Stores;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The grid of a DAG: its latest runs (oldest first, as columns) and the state of every task in
 * each of them, read with one statement for all the task instances of the shown runs. A mapped
 * task's cell shows the state that matters most among its instances, by {@link TaskGroupState}'s
 * priority (failed before running before success ...), and how many instances it has.
 */
public final class RunGridQuery {

    /**
     * One cell: the task's state in the run, its try number and how many mapped instances it has,
     * when it started and ended (a mapped task's: its first start and last end) and its duration
     * in seconds (null while unfinished).
     */
    public record Cell(
            String state, int tryNumber, int instances, Instant startDate, Instant endDate, Double duration) {

        public Cell(String state, int tryNumber, int instances) {
            this(state, tryNumber, instances, null, null, null);
        }
    }

    /**
     * Which runs the grid shows: at most {@code limit}, the newest with a logical date at or
     * before {@code before}, of one state and one run type (null: any).
     */
    public record Filter(int limit, DagRunState state, String runType, Instant before) {}

    /** The runs, oldest first, and cells keyed by run id then task id. */
    public record Grid(List<DagRun> runs, Map<String, Map<String, Cell>> cells) {

        public Cell cell(String runId, String taskId) {
            return cells.getOrDefault(runId, Map.of()).get(taskId);
        }
    }

    private final Jdbc jdbc;
    private final DagRunRepository runs;

    public RunGridQuery(Stores stores) {
        this.jdbc = stores.jdbc();
        this.runs = stores.dagRuns();
    }

    public Grid grid(String dagId, int runLimit) {
        return grid(dagId, new Filter(runLimit, null, null, null));
    }

    public Grid grid(String dagId, Filter filter) {
        List<DagRun> latest = runs(dagId, filter);
        return new Grid(latest, cells(dagId, latest.stream().map(DagRun::runId).toList()));
    }

    /** The runs the grid shows, oldest first, without their cells. */
    public List<DagRun> runs(String dagId, Filter filter) {
        return runs.listForDag(dagId, filter.state(), filter.runType(), filter.before(), filter.limit()).stream()
                .sorted(java.util.Comparator.comparing(DagRun::logicalDate))
                .toList();
    }

    /**
     * The cells of some runs only, keyed by run id then task id: what the grid's live update
     * needs for the runs that can still change.
     */
    public Map<String, Map<String, Cell>> cells(String dagId, List<String> runIds) {
        Map<String, Map<String, Cell>> cells = new HashMap<>();
        if (runIds.isEmpty()) {
            return cells;
        }
        jdbc.query("""
                SELECT run_id, task_id, state, try_number, map_index, start_date, end_date, duration
                  FROM task_instance
                 WHERE dag_id = :dagId AND run_id = ANY (:runIds)""", Params.of("dagId", dagId).and("runIds", runIds), row -> {
            Cell cell = new Cell(
                    row.getString("state"),
                    row.getInt("try_number"),
                    1,
                    Jdbc.instant(row, "start_date"),
                    Jdbc.instant(row, "end_date"),
                    (Double) row.getObject("duration"));
            cells.computeIfAbsent(row.getString("run_id"), k -> new HashMap<>())
                    .merge(row.getString("task_id"), cell, RunGridQuery::combine);
            return null;
        });
        return cells;
    }

    /**
     * Which of two mapped instances' states a single cell shows: the one Airflow's grid puts
     * first, the same priority as a task group's ({@link TaskGroupState}).
     */
    private static Cell combine(Cell a, Cell b) {
        String shown = TaskGroupState.of(List.of(state(a), state(b)))
                .map(TaskState::dbName)
                .orElse(a.state());
        Instant start =
                a.startDate() == null || (b.startDate() != null && b.startDate().isBefore(a.startDate()))
                        ? b.startDate()
                        : a.startDate();
        Instant end = a.endDate() == null || b.endDate() == null
                ? null
                : (a.endDate().isAfter(b.endDate()) ? a.endDate() : b.endDate());
        Double duration = start == null || end == null
                ? null
                : java.time.Duration.between(start, end).toMillis() / 1000.0;
        return new Cell(
                shown, Math.max(a.tryNumber(), b.tryNumber()), a.instances() + b.instances(), start, end, duration);
    }

    private static TaskState state(Cell cell) {
        return TaskState.parse(cell.state()).orElse(TaskState.NONE);
    }
}
