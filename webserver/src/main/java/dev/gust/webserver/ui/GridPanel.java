package dev.gust.webserver.ui;

import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The details panel beside the grid (Airflow's): for a run ({@code ?run_id=}) its summary, its
 * task instances counted by state and its actions; for a task in a run ({@code &task_id=}) the
 * instance's summary, the tail of its latest try's log and its actions. The selection is in the
 * address, so a panel can be bookmarked and shared, and opens without JavaScript too (the grid
 * page with the panel); with it, a click swaps only the panel in.
 */
final class GridPanel {

    /** How much of the log's end the panel shows; the task page has all of it. */
    static final int LOG_TAIL_BYTES = 16 * 1024;

    /**
     * What the panel shows: {@code ti} null for a run's panel; {@code href} the panel's own
     * address (the grid's filters kept; a mapped instance adds {@code mapQuery}), polled while
     * {@code live}; {@code runHref} the address of its run's panel.
     */
    public record Panel(
            DagRun run,
            TaskInstance ti,
            Map<String, Object> facts,
            Map<String, Long> stateCounts,
            String log,
            boolean logCut,
            List<Integer> mapIndexes,
            String runPath,
            String tiPath,
            String mapQuery,
            String runHref,
            String href,
            boolean live) {

        public boolean task() {
            return ti != null;
        }
    }

    private final WebServices services;

    GridPanel(WebServices services) {
        this.services = services;
    }

    /** The panel the address asks for, or null when it names no run; a 404 for a run or task that does not exist. */
    Panel of(Context ctx, DagPage.Header header, String gridQuery) {
        String runId = ctx.queryParam("run_id");
        if (runId == null || runId.isBlank()) {
            return null;
        }
        String dagId = header.dag().dagId();
        DagRun run = services.stores()
                .dagRuns()
                .find(dagId, runId)
                .orElseThrow(() -> new PageNotFound("DAG '" + dagId + "' has no run '" + runId + "'."));
        String runPath = header.base() + "/runs/" + Fmt.segment(runId);
        String self = header.base() + "/grid?" + (gridQuery.isEmpty() ? "" : gridQuery + "&") + "run_id="
                + Fmt.segment(runId);
        boolean runLive = LiveUpdates.moving(run, header.stored().paused());
        List<TaskInstance> tis = services.stores().taskInstances().listForRun(dagId, runId);
        String taskId = ctx.queryParam("task_id");
        if (taskId == null || taskId.isBlank()) {
            Map<String, Long> counts = new TreeMap<>();
            tis.forEach(ti -> counts.merge(ti.state().dbName(), 1L, Long::sum));
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("State", run.state().dbName());
            facts.put("Run type", run.runType());
            facts.put("Logical date", Fmt.INSTANCE.time(run.logicalDate()));
            facts.put(
                    "Data interval",
                    Fmt.INSTANCE.time(run.dataIntervalStart()) + " → " + Fmt.INSTANCE.time(run.dataIntervalEnd()));
            facts.put("Queued at", Fmt.INSTANCE.time(run.queuedAt()));
            facts.put("Started", Fmt.INSTANCE.time(run.startDate()));
            facts.put("Ended", Fmt.INSTANCE.time(run.endDate()));
            facts.put("Duration", Fmt.INSTANCE.duration(run.startDate(), run.endDate()));
            facts.put("Conf", run.conf());
            facts.put("Note", run.note() == null ? "" : run.note());
            return new Panel(run, null, facts, counts, null, false, List.of(), runPath, null, "", self, self, runLive);
        }
        List<TaskInstance> instances =
                tis.stream().filter(ti -> ti.taskId().equals(taskId)).toList();
        String wanted = ctx.queryParam("map_index");
        TaskInstance ti = instances.stream()
                .filter(candidate -> wanted == null
                        || wanted.isBlank()
                        || String.valueOf(candidate.key().mapIndex()).equals(wanted.trim()))
                .findFirst()
                .orElseThrow(() -> new PageNotFound("Run '" + runId + "' of DAG '" + dagId + "' has no task '" + taskId
                        + "'" + (wanted == null || wanted.isBlank() ? "" : " with map index " + wanted) + "."));
        List<Integer> mapIndexes = instances.stream()
                .map(i -> i.key().mapIndex())
                .filter(index -> index >= 0)
                .toList();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("State", ti.state().dbName());
        facts.put("Tries", ti.tryNumber() + " of " + (ti.maxTries() + 1));
        facts.put("Operator", ti.operator());
        facts.put("Started", Fmt.INSTANCE.time(ti.startDate()));
        facts.put("Ended", Fmt.INSTANCE.time(ti.endDate()));
        facts.put(
                "Duration",
                ti.duration() != null
                        ? Fmt.INSTANCE.seconds(ti.duration())
                        : Fmt.INSTANCE.duration(ti.startDate(), ti.endDate()));
        facts.put("Hostname", ti.hostname());
        facts.put("Pool", ti.pool());
        int tryNumber = Math.max(1, ti.tryNumber());
        TaskLogRepository logs = services.stores().taskLogs();
        int from = logs.tailStart(ti.key(), tryNumber, LOG_TAIL_BYTES);
        TaskLogRepository.Page page = logs.readPage(ti.key(), tryNumber, from, LOG_TAIL_BYTES);
        String mapQuery = ti.key().mapIndex() < 0 ? "" : "map_index=" + ti.key().mapIndex();
        String href = self + "&task_id=" + Fmt.segment(taskId);
        return new Panel(
                run,
                ti,
                facts,
                Map.of(),
                page.text(),
                from > 0,
                mapIndexes,
                runPath,
                runPath + "/tasks/" + Fmt.segment(taskId),
                mapQuery,
                self,
                href,
                !ti.state().isFinished() && runLive);
    }
}
