package dev.gust.webserver.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.state.TaskGroupState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.dagwarnings.StoredDagWarning;
import dev.gust.core.store.datasets.DatasetEvent;
import dev.gust.core.store.events.LoggedEvent;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.views.RunGridQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The page of one DAG, with its tabs: grid (runs as columns, tasks as rows), graph (an SVG of the
 * tasks coloured by a run's states), code (the DAG file), runs and details. Every tab reads the
 * DAG's definition from the database (cached per version) and at most two more statements.
 */
public final class DagPage {

    static final int DEFAULT_RUNS = 25;
    static final int MAX_RUNS = 365;
    private static final long MAX_SOURCE_BYTES = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One grid cell as the template draws it. */
    public record GridCell(String state, String title, String href) {}

    /**
     * One row of the grid: a task and its cell in each shown run, or a task group ({@code groupId}
     * set) and its aggregate state in each; {@code depth} is how many groups it is in, {@code
     * toggleHref} the link that opens or closes the group.
     */
    public record GridRow(
            String taskId,
            String operator,
            List<GridCell> cells,
            String label,
            int depth,
            String groupId,
            boolean expanded,
            String toggleHref,
            String tooltip) {}

    /**
     * What every tab shows at its top; {@code docHtml} is the DAG's doc_md made safe HTML (null:
     * none), {@code pausedByScheduler} why the scheduler paused the DAG when that is why it is
     * paused (max_consecutive_failed_dag_runs), else null.
     */
    public record Header(
            StoredDag stored,
            Dag dag,
            String base,
            List<StoredDagWarning> warnings,
            String docHtml,
            String pausedByScheduler) {

        /** The DAG's owners, each linked where its owner_links say so. */
        public List<Owners.Owner> owners() {
            return Owners.of(dag.owner(), dag.ownerLinks());
        }
    }

    private final Pages pages;
    private final WebServices services;
    private final DagRepository dags;
    private final DagWarningRepository warnings;
    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;
    private final RunGridQuery gridQuery;

    public DagPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.services = services;
        this.dags = services.stores().dags();
        this.warnings = services.stores().dagWarnings();
        this.runs = services.stores().dagRuns();
        this.taskInstances = services.stores().taskInstances();
        this.gridQuery = new RunGridQuery(services.stores());
    }

    /** The DAG named by the path, or a 404. */
    Header header(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        StoredDag stored = dags.find(dagId).orElseThrow(() -> new PageNotFound("There is no DAG '" + dagId + "'."));
        DagDefinitions.Loaded loaded = services.dagDefinitions()
                .get(dagId)
                .orElseThrow(() -> new PageNotFound("There is no DAG '" + dagId + "'."));
        return new Header(
                stored,
                loaded.dag(),
                "/dags/" + Fmt.segment(dagId),
                warnings.listForDag(dagId),
                DocMarkdown.html(loaded.dag().docMd()),
                stored.paused() ? pausedByScheduler(dagId) : null);
    }

    private String pausedByScheduler(String dagId) {
        return services.stores()
                .events()
                .latestPauseChange(dagId)
                .map(LoggedEvent::event)
                .filter(e -> e.event().equals("pause") && "scheduler".equals(e.owner()))
                .map(e -> e.extra())
                .orElse(null);
    }

    /** {@code /dags/ID}: the DAG's {@code default_view} where Gust has it (as Airflow), else the grid. */
    public void open(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        String view = dags.find(dagId)
                .map(StoredDag::defaultView)
                .filter("graph"::equals)
                .orElse("grid");
        ctx.redirect("/dags/" + Fmt.segment(dagId) + "/" + view);
    }

    public void grid(Context ctx) {
        Header header = header(ctx);
        int limit = Math.clamp(DagListPage.intParam(ctx, "runs", DEFAULT_RUNS), 1, MAX_RUNS);
        RunGridQuery.Grid grid = gridQuery.grid(header.dag().dagId(), limit);
        TaskTree tree = TaskTree.of(header.dag());
        GroupToggles toggles =
                new GroupToggles(header.base() + "/grid", Map.of("runs", String.valueOf(limit)), tree.groupIds(), ctx);
        List<GridRow> rows = new ArrayList<>();
        gridRows(tree.top(), 0, header, grid, toggles, rows);
        boolean active = grid.runs().stream().anyMatch(run -> !run.state().isFinished());
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "grid");
        model.put("runs", grid.runs());
        model.put("rows", rows);
        model.put("limit", limit);
        model.put("active", active);
        model.put("toggles", toggles);
        pages.html(ctx, "dag_grid", model);
    }

    /** The rows of one level of the task tree, and of the open groups' levels under them. */
    private static void gridRows(
            List<TaskTree.Item> items,
            int depth,
            Header header,
            RunGridQuery.Grid grid,
            GroupToggles toggles,
            List<GridRow> rows) {
        for (TaskTree.Item item : items) {
            switch (item) {
                case TaskTree.Task task -> rows.add(taskRow(task, depth, header, grid));
                case TaskTree.Group group -> {
                    String id = group.group().groupId();
                    List<GridCell> cells = new ArrayList<>(grid.runs().size());
                    for (DagRun run : grid.runs()) {
                        List<TaskState> states = new ArrayList<>();
                        for (String taskId : group.taskIds()) {
                            RunGridQuery.Cell cell = grid.cell(run.runId(), taskId);
                            if (cell != null) {
                                TaskState.parse(cell.state()).ifPresent(states::add);
                            }
                        }
                        cells.add(TaskGroupState.of(states)
                                .map(state -> new GridCell(state.dbName(), id + ": " + state.dbName(), null))
                                .orElse(new GridCell("absent", id + ": no task instance", null)));
                    }
                    boolean open = toggles.isExpanded(id);
                    rows.add(new GridRow(
                            null,
                            null,
                            cells,
                            group.group().label(),
                            depth,
                            id,
                            open,
                            toggles.toggleHref(id),
                            group.group().tooltip()));
                    if (open) {
                        gridRows(group.children(), depth + 1, header, grid, toggles, rows);
                    }
                }
            }
        }
    }

    private static GridRow taskRow(TaskTree.Task item, int depth, Header header, RunGridQuery.Grid grid) {
        TaskSpec task = item.spec();
        List<GridCell> cells = new ArrayList<>(grid.runs().size());
        String taskSegment = "/tasks/" + Fmt.segment(task.taskId());
        for (DagRun run : grid.runs()) {
            RunGridQuery.Cell cell = grid.cell(run.runId(), task.taskId());
            if (cell == null) {
                cells.add(new GridCell("absent", task.taskId() + ": no task instance", null));
            } else {
                String title = task.taskId() + ": " + cell.state()
                        + (cell.instances() > 1 ? " (" + cell.instances() + " mapped)" : "");
                String runPath = header.base() + "/runs/" + Fmt.segment(run.runId());
                cells.add(new GridCell(cell.state(), title, runPath + taskSegment));
            }
        }
        return new GridRow(task.taskId(), task.operator(), cells, item.label(), depth, null, false, null, null);
    }

    public void graph(Context ctx) {
        Header header = header(ctx);
        List<DagRun> recent = runs.listForDag(header.dag().dagId(), null, DEFAULT_RUNS);
        String wanted = ctx.queryParam("run_id");
        DagRun selected;
        if (wanted == null || wanted.isBlank()) {
            selected = recent.isEmpty() ? null : recent.getFirst();
        } else {
            selected = recent.stream()
                    .filter(run -> run.runId().equals(wanted))
                    .findFirst()
                    .or(() -> runs.find(header.dag().dagId(), wanted))
                    .orElseThrow(
                            () -> new PageNotFound("DAG '" + header.dag().dagId() + "' has no run '" + wanted + "'."));
        }
        Map<String, String> states = new HashMap<>();
        Map<String, String> hrefs = new HashMap<>();
        if (selected != null) {
            String runPath = header.base() + "/runs/" + Fmt.segment(selected.runId()) + "/tasks/";
            for (TaskInstance ti : taskInstances.listForRun(header.dag().dagId(), selected.runId())) {
                states.put(ti.taskId(), ti.state().dbName());
                hrefs.put(ti.taskId(), runPath + Fmt.segment(ti.taskId()));
            }
        }
        TaskTree tree = TaskTree.of(header.dag());
        GroupToggles toggles = new GroupToggles(
                header.base() + "/graph",
                selected == null ? Map.of() : Map.of("run_id", selected.runId()),
                tree.groupIds(),
                ctx);
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "graph");
        model.put("graph", GraphLayout.layout(header.dag(), states, hrefs, toggles.expanded(), toggles::toggleHref));
        model.put("toggles", toggles);
        model.put("runs", recent);
        model.put("selected", selected);
        model.put("nodeWidth", GraphLayout.NODE_WIDTH);
        model.put("nodeHeight", GraphLayout.NODE_HEIGHT);
        pages.html(ctx, "dag_graph", model);
    }

    public void code(Context ctx) {
        Header header = header(ctx);
        String source;
        String origin;
        try {
            // real paths, so that a DAG file that is a link to /etc/passwd or the encryption key
            // (or lies in a linked folder outside) is never shown: only what is in the DAG folder
            Path folder = services.config().core().dagsFolder().toRealPath();
            Path file = folder.resolve(header.stored().fileloc()).toRealPath();
            if (!file.startsWith(folder) || !Files.isRegularFile(file) || Files.size(file) > MAX_SOURCE_BYTES) {
                throw new IOException("not a readable DAG file");
            }
            source = Files.readString(file);
            origin = header.stored().fileloc();
        } catch (IOException | RuntimeException e) {
            // The webserver may run where the DAG folder is not (a container without it): the
            // stored DAG is what the scheduler runs, so it is the next best thing to show.
            source = dags.serializedDag(header.dag().dagId())
                    .map(DagPage::pretty)
                    .orElse("");
            origin = "the stored DAG (the file " + header.stored().fileloc() + " is not readable here)";
        }
        pages.html(ctx, "dag_code", Map.of("h", header, "tab", "code", "source", source, "origin", origin));
    }

    public void runList(Context ctx) {
        Header header = header(ctx);
        int limit = Math.clamp(DagListPage.intParam(ctx, "limit", 100), 1, 1000);
        List<DagRun> listed = runs.listForDag(header.dag().dagId(), null, limit);
        // the datasets each dataset-triggered run consumed, shown under its type
        Map<String, List<String>> consumed = new HashMap<>();
        for (DagRun run : listed) {
            if (run.runType().equals("dataset_triggered")) {
                consumed.put(
                        run.runId(),
                        services.stores().datasets().consumedBy(run.id()).stream()
                                .map(DatasetEvent::datasetUri)
                                .distinct()
                                .toList());
            }
        }
        pages.html(
                ctx,
                "dag_runs",
                Map.of("h", header, "tab", "runs", "runs", listed, "limit", limit, "consumed", consumed));
    }

    public void details(Context ctx) {
        Header header = header(ctx);
        Dag dag = header.dag();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("Schedule", header.stored().timetableDescription());
        facts.put("Schedule expression", header.stored().scheduleExpression());
        facts.put("Time zone", dag.timezone().getId());
        facts.put("Start date", Fmt.INSTANCE.when(dag.startDate()));
        facts.put("End date", Fmt.INSTANCE.when(dag.endDate()));
        facts.put(
                "Catchup",
                dag.catchup() != null ? dag.catchup() : services.config().core().catchupByDefault() + " (default)");
        facts.put("Max active runs", header.stored().maxActiveRuns());
        facts.put("Max active tasks", header.stored().maxActiveTasks());
        facts.put("DAG run timeout", Fmt.INSTANCE.span(dag.dagrunTimeout()));
        facts.put("Owner", dag.owner());
        facts.put("Default view", dag.defaultView() != null ? dag.defaultView() : "grid (default)");
        facts.put("Graph orientation", dag.orientation() != null ? dag.orientation() : "LR (default)");
        facts.put(
                "Pause after failed runs in a row",
                dag.maxConsecutiveFailedDagRuns() == null || dag.maxConsecutiveFailedDagRuns() == 0
                        ? "never"
                        : dag.maxConsecutiveFailedDagRuns());
        facts.put("Templates render native objects", dag.renderTemplateAsNativeObj());
        facts.put("Tags", String.join(", ", dag.tags()));
        facts.put("File", header.stored().fileloc());
        // Airflow 3's bundle version: which `gust deploy dags` upload the DAG was last parsed from.
        facts.put(
                "Bundle version",
                header.stored().bundleVersion() == null
                        ? "(local DAG folder)"
                        : header.stored().bundleVersion());
        facts.put("Paused", header.stored().paused());
        facts.put("Last parsed", Fmt.INSTANCE.when(header.stored().lastParsedAt()));
        facts.put("Tasks", dag.tasks().size());
        pages.html(
                ctx,
                "dag_details",
                Map.of("h", header, "tab", "details", "facts", facts, "params", pretty(dag.params())));
    }

    static String pretty(Object value) {
        try {
            Object tree = value instanceof String text ? JSON.readTree(text) : value;
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
