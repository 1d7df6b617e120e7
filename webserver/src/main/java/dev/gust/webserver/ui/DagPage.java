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
import dev.gust.webserver.dags.DagSourceFile;
import io.javalin.http.Context;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.unbescape.html.HtmlEscape;

/**
 * The page of one DAG, with its tabs: grid (runs as columns, tasks as rows), graph (an SVG of the
 * tasks coloured by a run's states), code (the DAG file), runs and details. Every tab reads the
 * DAG's definition from the database (cached per version) and at most two more statements.
 */
public final class DagPage {

    static final int DEFAULT_RUNS = 25;
    static final int MAX_RUNS = 365;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One grid cell as the template draws it: {@code href} opens its panel (null: no task
     * instance), {@code retried} when the task needed more than one try.
     */
    public record GridCell(String state, String title, String href, boolean retried) {

        GridCell(String state, String title, String href) {
            this(state, title, href, false);
        }

        /**
         * A task's cell as HTML, written here rather than by the template: a grid has thousands
         * of them, and printing each through the template's expressions was most of its cost.
         * Escaped as the template escapes.
         */
        public SafeString html() {
            StringBuilder html = new StringBuilder(href == null ? 96 : 320);
            if (href == null) {
                html.append("<span class=\"cell s-none\" title=\"")
                        .append(HtmlEscape.escapeHtml4Xml(title))
                        .append("\"></span>");
            } else {
                String escapedState = HtmlEscape.escapeHtml4Xml(state);
                html.append("<a class=\"cell s-")
                        .append(escapedState)
                        .append("\" data-state=\"")
                        .append(escapedState)
                        .append('"');
                if (retried) {
                    html.append(" data-retried=\"true\"");
                }
                html.append(" title=\"")
                        .append(HtmlEscape.escapeHtml4Xml(title))
                        .append("\" href=\"")
                        .append(HtmlEscape.escapeHtml4Xml(href))
                        .append("\"></a>");
            }
            return new SafeString(html.toString());
        }
    }

    /**
     * One run's column head: its bar in the duration chart ({@code barPercent} of the longest
     * shown), its date label (every few columns, as an axis), its tooltip and its panel's link.
     */
    public record RunHead(DagRun run, String href, String title, int barPercent, String dateLabel) {

        /** How long the run took (so far), which the live update rescales the bars by. */
        public String seconds() {
            return String.format(java.util.Locale.ROOT, "%.1f", DagPage.seconds(run));
        }
    }

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
    private final GridPanel panels;

    public DagPage(Pages pages, WebServices services) {
        this.pages = pages;
        this.services = services;
        this.dags = services.stores().dags();
        this.warnings = services.stores().dagWarnings();
        this.runs = services.stores().dagRuns();
        this.taskInstances = services.stores().taskInstances();
        this.gridQuery = new RunGridQuery(services.stores());
        this.panels = new GridPanel(services);
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

    /**
     * The grid with its filters, its duration chart, and the panel the address selects. A
     * request from the page's own script for one part of it (htmx names the part in
     * {@code HX-Target}) gets only that part: the panel after a click, the grid while runs are
     * active.
     */
    public void grid(Context ctx) {
        Header header = header(ctx);
        RunFilter filter = RunFilter.of(ctx, "runs", DEFAULT_RUNS, MAX_RUNS);
        Map<String, String> filterParams = filter.params("runs", DEFAULT_RUNS);
        String filterQuery = RunFilter.query(filterParams);
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "grid");
        model.put("filter", filter);
        String part = ctx.header("HX-Target");
        GridPanel.Panel panel = panels.of(ctx, header, filterQuery);
        model.put("panel", panel);
        if ("details".equals(part)) {
            pages.html(ctx, "grid_details", model);
            return;
        }
        RunGridQuery.Grid grid = gridQuery.grid(header.dag().dagId(), filter.gridFilter());
        TaskTree tree = TaskTree.of(header.dag());
        Map<String, String> keep = new LinkedHashMap<>(filterParams);
        if (panel != null) {
            keep.put("run_id", panel.run().runId());
            if (panel.ti() != null) {
                keep.put("task_id", panel.ti().taskId());
            }
        }
        GroupToggles toggles = new GroupToggles(header.base() + "/grid", keep, tree.groupIds(), ctx);
        // what every link of the grid keeps (the filters, the open groups): links to a panel add
        // the selection after it (cells are many, so their links stay short: only what differs)
        String keepQuery = keepQuery(filterQuery, toggles);
        String cellQuery = "?" + keepQuery + (keepQuery.isEmpty() ? "" : "&");
        List<GridRow> rows = new ArrayList<>();
        gridRows(tree.top(), 0, header, grid, toggles, cellQuery, rows);
        boolean active = grid.runs().stream()
                .anyMatch(run -> LiveUpdates.moving(run, header.stored().paused()));
        model.put("runs", grid.runs());
        model.put("heads", runHeads(grid.runs(), cellQuery));
        model.put("longest", Fmt.INSTANCE.seconds(longestSeconds(grid.runs())));
        model.put("rows", rows);
        model.put("limit", filter.limit());
        model.put("active", active);
        model.put("liveHref", header.base() + "/grid" + (keepQuery.isEmpty() ? "" : "?" + keepQuery));
        // what the page's script polls while runs move: the unfinished columns only (GridLive)
        model.put("liveJsonHref", header.base() + "/grid/live?" + keepQuery);
        model.put("toggles", toggles);
        model.put("runStates", RunFilter.STATES);
        model.put("runTypes", RunFilter.RUN_TYPES);
        pages.html(ctx, "grid-live".equals(part) ? "grid_live" : "dag_grid", model);
    }

    /** What every link of the grid keeps: its filters, then its open groups. */
    static String keepQuery(String filterQuery, GroupToggles toggles) {
        return Stream.concat(
                        Stream.of(filterQuery), toggles.expandedIds().stream().map(id -> "expanded=" + Fmt.segment(id)))
                .filter(piece -> !piece.isEmpty())
                .collect(Collectors.joining("&"));
    }

    private static final DateTimeFormatter AXIS_DATE =
            DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** Every how many columns the run axis names a date. */
    private static final int DATE_EVERY = 5;

    private static List<RunHead> runHeads(List<DagRun> shown, String cellQuery) {
        double longest = longestSeconds(shown);
        List<RunHead> heads = new ArrayList<>(shown.size());
        for (int i = 0; i < shown.size(); i++) {
            DagRun run = shown.get(i);
            double seconds = seconds(run);
            int percent = longest <= 0 ? 0 : (int) Math.max(2, Math.round(100 * seconds / longest));
            String title = runTitle(run);
            String label = i % DATE_EVERY == 0 || i == shown.size() - 1 ? AXIS_DATE.format(run.logicalDate()) : "";
            heads.add(new RunHead(run, cellQuery + "run_id=" + Fmt.segment(run.runId()), title, percent, label));
        }
        return heads;
    }

    /** A run's column tooltip: its id, state, type, dates and duration. */
    static String runTitle(DagRun run) {
        return run.runId() + "\nstate: " + run.state().dbName() + "\ntype: " + run.runType()
                + "\nlogical date: " + Fmt.INSTANCE.time(run.logicalDate()) + " UTC"
                + "\nstarted: " + Fmt.INSTANCE.time(run.startDate())
                + "\nduration: " + Fmt.INSTANCE.duration(run.startDate(), run.endDate());
    }

    static double seconds(DagRun run) {
        if (run.startDate() == null) {
            return 0;
        }
        Instant end = run.endDate() == null ? Instant.now() : run.endDate();
        return Math.max(0, Duration.between(run.startDate(), end).toMillis() / 1000.0);
    }

    private static double longestSeconds(List<DagRun> shown) {
        return shown.stream().mapToDouble(DagPage::seconds).max().orElse(0);
    }

    /** The rows of one level of the task tree, and of the open groups' levels under them. */
    static void gridRows(
            List<TaskTree.Item> items,
            int depth,
            Header header,
            RunGridQuery.Grid grid,
            GroupToggles toggles,
            String cellQuery,
            List<GridRow> rows) {
        for (TaskTree.Item item : items) {
            switch (item) {
                case TaskTree.Task task -> rows.add(taskRow(task, depth, grid, cellQuery));
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
                        gridRows(group.children(), depth + 1, header, grid, toggles, cellQuery, rows);
                    }
                }
            }
        }
    }

    private static GridRow taskRow(TaskTree.Task item, int depth, RunGridQuery.Grid grid, String cellQuery) {
        TaskSpec task = item.spec();
        List<GridCell> cells = new ArrayList<>(grid.runs().size());
        String taskQuery = "&task_id=" + Fmt.segment(task.taskId());
        for (DagRun run : grid.runs()) {
            RunGridQuery.Cell cell = grid.cell(run.runId(), task.taskId());
            if (cell == null) {
                cells.add(new GridCell("absent", task.taskId() + ": no task instance", null));
            } else {
                String title = "task: " + task.taskId()
                        + (cell.instances() > 1 ? " (" + cell.instances() + " mapped)" : "")
                        + "\nrun: " + run.runId()
                        + "\nstate: " + cell.state()
                        + "\nstarted: " + Fmt.INSTANCE.time(cell.startDate())
                        + "\nduration: "
                        + (cell.duration() != null
                                ? Fmt.INSTANCE.seconds(cell.duration())
                                : Fmt.INSTANCE.duration(cell.startDate(), cell.endDate()))
                        + "\ntries: " + cell.tryNumber();
                cells.add(new GridCell(
                        cell.state(),
                        title,
                        cellQuery + "run_id=" + Fmt.segment(run.runId()) + taskQuery,
                        cell.tryNumber() > 1));
            }
        }
        return new GridRow(task.taskId(), task.operator(), cells, item.label(), depth, null, false, null, null);
    }

    /**
     * The graph, coloured by a run's task states: the run the address names, else the newest. Its
     * script keeps the colours live and switches runs without a reload ({@link #graphStates}).
     */
    public void graph(Context ctx) {
        Header header = header(ctx);
        List<DagRun> recent = runs.listForDag(header.dag().dagId(), null, DEFAULT_RUNS);
        DagRun selected = selectedRun(ctx, header, recent);
        Map<String, String> states = new HashMap<>();
        Map<String, String> hrefs = new HashMap<>();
        runStates(header, selected, states, hrefs);
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
        model.put("listStates", states);
        // the colours follow the run while it goes
        model.put("active", LiveUpdates.moving(selected, header.stored().paused()));
        model.put(
                "statesHref",
                header.base() + "/graph/states?"
                        + toggles.expandedIds().stream()
                                .map(id -> "expanded=" + Fmt.segment(id) + "&")
                                .collect(Collectors.joining()));
        pages.html(ctx, "dag_graph", model);
    }

    /**
     * {@code /dags/ID/graph/states?run_id=}: the state of every box of the graph in a run (tasks,
     * and closed groups by Airflow's rule), each task's link, and whether the run still moves, as
     * JSON: what the graph's script polls and asks for when another run is picked.
     */
    public void graphStates(Context ctx) {
        Header header = header(ctx);
        List<DagRun> recent = runs.listForDag(header.dag().dagId(), null, 1);
        DagRun selected = selectedRun(ctx, header, recent);
        Map<String, String> states = new HashMap<>();
        Map<String, String> hrefs = new HashMap<>();
        runStates(header, selected, states, hrefs);
        TaskTree tree = TaskTree.of(header.dag());
        GroupToggles toggles = new GroupToggles(header.base() + "/graph", Map.of(), tree.groupIds(), ctx);
        GraphLayout.Graph graph =
                GraphLayout.layout(header.dag(), states, hrefs, toggles.expanded(), toggles::toggleHref);
        Map<String, String> nodes = new LinkedHashMap<>();
        graph.nodes().forEach(node -> nodes.put(node.taskId(), node.state()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", selected == null ? null : selected.runId());
        body.put("run_state", selected == null ? null : selected.state().dbName());
        body.put(
                "logical_date", selected == null ? null : selected.logicalDate().toString());
        body.put("active", LiveUpdates.moving(selected, header.stored().paused()));
        body.put("nodes", nodes);
        body.put("tasks", states);
        body.put("hrefs", hrefs);
        Long started = ctx.attribute(Pages.STARTED);
        if (started != null) {
            ctx.header(
                    "Server-Timing",
                    String.format(java.util.Locale.ROOT, "app;dur=%.2f", (System.nanoTime() - started) / 1e6));
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    /** The run the address names ({@code run_id}), else the newest of {@code recent}; a 404 for an unknown one. */
    private DagRun selectedRun(Context ctx, Header header, List<DagRun> recent) {
        String wanted = ctx.queryParam("run_id");
        if (wanted == null || wanted.isBlank()) {
            return recent.isEmpty() ? null : recent.getFirst();
        }
        return recent.stream()
                .filter(run -> run.runId().equals(wanted))
                .findFirst()
                .or(() -> runs.find(header.dag().dagId(), wanted))
                .orElseThrow(() -> new PageNotFound("DAG '" + header.dag().dagId() + "' has no run '" + wanted + "'."));
    }

    /** Each task's state in the run and the link to its task instance page. */
    private void runStates(Header header, DagRun selected, Map<String, String> states, Map<String, String> hrefs) {
        if (selected == null) {
            return;
        }
        String runPath = header.base() + "/runs/" + Fmt.segment(selected.runId()) + "/tasks/";
        for (TaskInstance ti : taskInstances.listForRun(header.dag().dagId(), selected.runId())) {
            states.put(ti.taskId(), ti.state().dbName());
            hrefs.put(ti.taskId(), runPath + Fmt.segment(ti.taskId()));
        }
    }

    public void code(Context ctx) {
        Header header = header(ctx);
        String fileloc = header.stored().fileloc();
        Optional<String> file = DagSourceFile.read(services.config().core().dagsFolder(), fileloc);
        // The webserver may run where the DAG folder is not (a container without it): the
        // stored DAG is what the scheduler runs, so it is the next best thing to show.
        String source = file.orElseGet(() ->
                dags.serializedDag(header.dag().dagId()).map(DagPage::pretty).orElse(""));
        String origin = file.isPresent() ? fileloc : "the stored DAG (the file " + fileloc + " is not readable here)";
        pages.html(ctx, "dag_code", Map.of("h", header, "tab", "code", "source", source, "origin", origin));
    }

    /** The Runs tab: the runs newest first, filtered by state, run type and date as the grid is. */
    public void runList(Context ctx) {
        Header header = header(ctx);
        RunFilter filter = RunFilter.of(ctx, "limit", 100, 1000);
        List<DagRun> listed = runs.listForDag(
                header.dag().dagId(),
                filter.state(),
                filter.runTypeName().isEmpty() ? null : filter.runTypeName(),
                filter.before(),
                filter.limit());
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
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "runs");
        model.put("runs", listed);
        model.put("limit", filter.limit());
        model.put("filter", filter);
        model.put("consumed", consumed);
        model.put("runStates", RunFilter.STATES);
        model.put("runTypes", RunFilter.RUN_TYPES);
        pages.html(ctx, "dag_runs", model);
    }

    /**
     * One run's details (Airflow's run details): its conf, editable note, data interval and
     * timings, its task instances counted by state, and the dataset events that triggered it.
     */
    public void runDetails(Context ctx) {
        Header header = header(ctx);
        String runId = ctx.pathParam("run_id");
        DagRun run = runs.find(header.dag().dagId(), runId)
                .orElseThrow(() -> new PageNotFound("DAG '" + header.dag().dagId() + "' has no run '" + runId + "'."));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("State", run.state().dbName());
        facts.put("Run type", run.runType());
        facts.put("Externally triggered", run.externalTrigger());
        facts.put("Logical date", Fmt.INSTANCE.time(run.logicalDate()) + " UTC");
        facts.put("Data interval start", Fmt.INSTANCE.time(run.dataIntervalStart()) + " UTC");
        facts.put("Data interval end", Fmt.INSTANCE.time(run.dataIntervalEnd()) + " UTC");
        facts.put("Queued at", Fmt.INSTANCE.time(run.queuedAt()));
        facts.put("Started", Fmt.INSTANCE.time(run.startDate()));
        facts.put("Ended", Fmt.INSTANCE.time(run.endDate()));
        facts.put("Duration", Fmt.INSTANCE.duration(run.startDate(), run.endDate()));
        facts.put("DAG version", run.dagVersionHash());
        Map<String, Long> counts = new TreeMap<>();
        taskInstances
                .listForRun(run.dagId(), run.runId())
                .forEach(ti -> counts.merge(ti.state().dbName(), 1L, Long::sum));
        Map<String, Object> model = new HashMap<>();
        model.put("h", header);
        model.put("tab", "runs");
        model.put("run", run);
        model.put("runPath", header.base() + "/runs/" + Fmt.segment(run.runId()));
        model.put("facts", facts);
        model.put("conf", pretty(run.conf()));
        model.put("stateCounts", counts);
        model.put("events", services.stores().datasets().consumedBy(run.id()));
        pages.html(ctx, "dag_run", model);
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
