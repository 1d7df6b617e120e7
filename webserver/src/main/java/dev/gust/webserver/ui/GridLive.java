package dev.gust.webserver.ui;

import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.views.RunGridQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grid's live update ({@code /dags/ID/grid/live}), as JSON the page's script patches in place:
 * only the columns of the runs that can still change (those the page names as unfinished with
 * {@code live}, and any shown run that moves again, a cleared one), not the whole grid. When the
 * shown runs are no longer the page's ({@code newest} is not the newest shown: a new run came),
 * it answers {@code reload} and the page asks for the whole grid once. The finished runs' cells,
 * most of a grid, are never sent again.
 */
final class GridLive {

    private final DagPage dagPage;
    private final RunGridQuery gridQuery;

    GridLive(DagPage dagPage, WebServices services) {
        this.dagPage = dagPage;
        this.gridQuery = new RunGridQuery(services.stores());
    }

    void live(Context ctx) {
        DagPage.Header header = dagPage.header(ctx);
        RunFilter filter = RunFilter.of(ctx, "runs", DagPage.DEFAULT_RUNS, DagPage.MAX_RUNS);
        Map<String, String> filterParams = filter.params("runs", DagPage.DEFAULT_RUNS);
        String filterQuery = RunFilter.query(filterParams);
        RunGridQuery.Filter gridFilter = filter.gridFilter();
        List<DagRun> shown = gridQuery.runs(header.dag().dagId(), gridFilter);
        boolean paused = header.stored().paused();
        Set<String> named = new HashSet<>(ctx.queryParams("live"));
        List<DagRun> changing = shown.stream()
                .filter(run -> named.contains(run.runId()) || LiveUpdates.moving(run, paused))
                .toList();
        String newest = shown.isEmpty() ? "" : shown.getLast().runId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", shown.stream().anyMatch(run -> LiveUpdates.moving(run, paused)));
        body.put("reload", !newest.equals(ctx.queryParam("newest")));
        TaskTree tree = TaskTree.of(header.dag());
        GroupToggles toggles = new GroupToggles(header.base() + "/grid", filterParams, tree.groupIds(), ctx);
        String keepQuery = DagPage.keepQuery(filterQuery, toggles);
        String cellQuery = "?" + keepQuery + (keepQuery.isEmpty() ? "" : "&");
        RunGridQuery.Grid grid = new RunGridQuery.Grid(
                changing,
                gridQuery.cells(
                        header.dag().dagId(),
                        changing.stream().map(DagRun::runId).toList()));
        List<DagPage.GridRow> rows = new ArrayList<>();
        DagPage.gridRows(tree.top(), 0, header, grid, toggles, cellQuery, rows);
        List<Map<String, Object>> columns = new ArrayList<>(changing.size());
        for (int c = 0; c < changing.size(); c++) {
            DagRun run = changing.get(c);
            Map<String, Object> cells = new LinkedHashMap<>();
            for (DagPage.GridRow row : rows) {
                DagPage.GridCell cell = row.cells().get(c);
                Map<String, Object> shownCell = new LinkedHashMap<>();
                shownCell.put("state", cell.state());
                shownCell.put("title", cell.title());
                if (cell.href() != null) {
                    shownCell.put("href", cell.href());
                }
                if (cell.retried()) {
                    shownCell.put("retried", true);
                }
                cells.put(row.groupId() != null ? "g:" + row.groupId() : "t:" + row.taskId(), shownCell);
            }
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("run_id", run.runId());
            column.put("state", run.state().dbName());
            column.put("seconds", DagPage.seconds(run));
            column.put("title", DagPage.runTitle(run));
            column.put("cells", cells);
            columns.add(column);
        }
        body.put("runs", columns);
        Long started = ctx.attribute(Pages.STARTED);
        if (started != null) {
            ctx.header(
                    "Server-Timing",
                    String.format(java.util.Locale.ROOT, "app;dur=%.2f", (System.nanoTime() - started) / 1e6));
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }
}
