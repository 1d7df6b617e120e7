package dev.gust.webserver.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.TaskDoc;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.state.TaskState;
import dev.gust.core.state.TaskTransition;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.views.TaskInstanceExtrasQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task instance: its state, tries, times and host, the rendered templates, its XComs and the
 * log of each try, a page at a time. {@code /static/gust.js} loads the next page on demand and
 * follows a running try's log (opened at its tail) by polling {@link #log} for the chunks after
 * the ones it has, one bounded page per request, appending them as text (never as HTML); the
 * state, times and actions above it are refreshed in place while the task is unfinished.
 */
public final class TaskInstancePage {

    /** One rendered argument of a try: its name and value (a string as it is, anything else as JSON). */
    public record RenderedField(String name, String value) {}

    /** A try's log that the page shows, and whether it is the one selected. */
    public record TryTab(int number, String href, boolean selected) {}

    /**
     * The most of a log one page view or one poll sends: a log of any size is shown a page at a
     * time ("Load more", or following a running task), never whole.
     */
    static final int LOG_PAGE_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pages pages;
    private final DagPage dagPage;
    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;
    private final TaskLogRepository logs;
    private final XComRepository xcoms;
    private final TaskInstanceExtrasQuery extras;

    public TaskInstancePage(Pages pages, DagPage dagPage, WebServices services) {
        this.pages = pages;
        this.dagPage = dagPage;
        this.runs = services.stores().dagRuns();
        this.taskInstances = services.stores().taskInstances();
        this.logs = services.stores().taskLogs();
        this.xcoms = services.stores().xcoms();
        this.extras = new TaskInstanceExtrasQuery(services.jdbc());
    }

    /** The DAG, run and task instance the path names; a 404 when any is missing. */
    record Target(
            DagPage.Header header,
            DagRun run,
            TaskInstance ti,
            TaskSpec task,
            String path,
            List<MappedInstance> mapIndexes) {}

    /**
     * One instance of a mapped task in the page's selector: its index, and the name its
     * {@code map_index_template} rendered to (null when none), which the selector shows instead.
     */
    record MappedInstance(int index, String name, String state) {
        public String label() {
            return name == null ? String.valueOf(index) : name;
        }
    }

    Target target(Context ctx) {
        DagPage.Header header = dagPage.header(ctx);
        String dagId = header.dag().dagId();
        String runId = ctx.pathParam("run_id");
        String taskId = ctx.pathParam("task_id");
        DagRun run = runs.find(dagId, runId)
                .orElseThrow(() -> new PageNotFound("DAG '" + dagId + "' has no run '" + runId + "'."));
        // A mapped task has instances 0..n instead of -1; without ?map_index the page shows the first.
        List<TaskInstance> instances = taskInstances.listForRun(dagId, runId).stream()
                .filter(candidate -> candidate.taskId().equals(taskId))
                .toList();
        String wanted = ctx.queryParam("map_index");
        TaskInstance ti = instances.stream()
                .filter(candidate -> wanted == null
                        || wanted.isBlank()
                        || String.valueOf(candidate.key().mapIndex()).equals(wanted.trim()))
                .findFirst()
                .orElseThrow(() -> new PageNotFound("Run '" + runId + "' of DAG '" + dagId + "' has no task '" + taskId
                        + "'" + (wanted == null || wanted.isBlank() ? "" : " with map index " + wanted) + "."));
        TaskSpec task = header.dag().task(taskId).orElse(null);
        String path = header.base() + "/runs/" + Fmt.segment(runId) + "/tasks/" + Fmt.segment(taskId);
        // a mapped task's selector shows even for a single instance; an unmapped task has none
        List<MappedInstance> mapIndexes = instances.stream()
                .filter(i -> i.key().mapIndex() >= 0)
                .map(i -> new MappedInstance(
                        i.key().mapIndex(), i.renderedMapIndex(), i.state().dbName()))
                .toList();
        return new Target(header, run, ti, task, path, mapIndexes);
    }

    /** The query string that names this instance's map index (empty for an unmapped task), to append after '?'. */
    static String mapIndexQuery(Target t) {
        return t.ti().key().mapIndex() < 0 ? "" : "map_index=" + t.ti().key().mapIndex() + "&";
    }

    public void show(Context ctx) {
        Target t = target(ctx);
        int tries = Math.max(1, t.ti().tryNumber());
        int selected = Math.clamp(DagListPage.intParam(ctx, "try", tries), 1, tries);
        List<TryTab> tabs = new java.util.ArrayList<>();
        for (int i = 1; i <= tries; i++) {
            tabs.add(new TryTab(i, t.path() + "?" + mapIndexQuery(t) + "try=" + i, i == selected));
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("State", t.ti().state().dbName());
        facts.put("Try", t.ti().tryNumber() + " of " + (t.ti().maxTries() + 1));
        facts.put("Operator", t.ti().operator());
        facts.put(
                "Pool",
                t.ti().pool() + " (" + t.ti().poolSlots() + " slot" + (t.ti().poolSlots() == 1 ? "" : "s") + ")");
        facts.put("Priority weight", t.ti().priorityWeight());
        facts.put("Hostname", t.ti().hostname());
        facts.put("Executor", t.ti().executor());
        if ("ecs".equals(t.ti().executor())) {
            facts.put(
                    "ECS task",
                    t.ti().externalExecutorId() != null
                            ? t.ti().externalExecutorId()
                            : t.ti().state() == TaskState.RUNNING ? "being launched" : "");
            if (t.ti().state() == TaskState.RUNNING) {
                // ECS's PROVISIONING/PENDING: launched, but the container has not started the worker
                facts.put(
                        "Worker",
                        t.ti().pid() != null
                                ? "started (pid " + t.ti().pid() + ")"
                                : "waiting for the ECS task's container to start");
            }
        }
        facts.put("Queued at", Fmt.INSTANCE.when(t.ti().queuedAt()));
        facts.put("Started", Fmt.INSTANCE.when(t.ti().startDate()));
        facts.put("Ended", Fmt.INSTANCE.when(t.ti().endDate()));
        facts.put(
                "Duration",
                t.ti().duration() != null
                        ? Fmt.INSTANCE.seconds(t.ti().duration())
                        : Fmt.INSTANCE.duration(t.ti().startDate(), t.ti().endDate()));
        facts.put("Next retry at", Fmt.INSTANCE.when(t.ti().nextRetryAt()));
        facts.put(
                "Trigger rule",
                t.task() == null ? "" : t.task().triggerRule().toString().toLowerCase(java.util.Locale.ROOT));
        facts.put("Upstream", t.task() == null ? "" : String.join(", ", t.task().upstream()));
        // what does not apply (no end yet, no retry, no host) is left out, so the log starts higher
        facts.values().removeIf(value -> value == null || String.valueOf(value).isBlank());
        Map<String, Object> model = new HashMap<>();
        // Only the latest try of an unfinished task can still grow.
        boolean live = selected == tries && !t.ti().state().isFinished();
        model.put("h", t.header());
        model.put("run", t.run());
        model.put(
                "summaryLive",
                !t.ti().state().isFinished()
                        && LiveUpdates.moving(t.run(), t.header().stored().paused()));
        model.put("try", selected);
        model.put("ti", t.ti());
        model.put("path", t.path());
        model.put("mapQuery", mapIndexQuery(t));
        model.put("mapIndexes", t.mapIndexes());
        model.put("facts", facts);
        // a mark button only where it changes something: no "mark success" on a success
        model.put("canMarkSuccess", TaskTransition.MARK.allows(t.ti().state(), TaskState.SUCCESS));
        model.put("canMarkFailed", TaskTransition.MARK.allows(t.ti().state(), TaskState.FAILED));
        if ("ti-live".equals(ctx.header("HX-Target"))) {
            // the page's script asks for the state, times and actions only (they change as the task runs)
            pages.html(ctx, "ti_summary", model);
            return;
        }
        TaskDoc doc = t.task() == null ? null : t.task().doc();
        // Markdown is rendered and sanitized; doc, doc_rst, doc_json and doc_yaml are shown as written
        model.put("docHtml", doc != null && doc.markdown() ? DocMarkdown.html(doc.text()) : null);
        model.put("docText", doc != null && !doc.markdown() ? doc.text() : null);
        model.put("noArguments", t.task() != null && t.task().args().isEmpty());
        model.put(
                "rendered",
                extras.renderedFields(t.ti().key(), selected)
                        .map(TaskInstancePage::renderedFields)
                        .orElse(null));
        model.put(
                "xcoms",
                xcoms.listForRun(t.run().dagId(), t.run().runId()).stream()
                        .filter(x -> x.taskId().equals(t.ti().taskId())
                                && x.mapIndex() == t.ti().key().mapIndex())
                        .toList());
        model.put("tabs", tabs);
        // A running task's log opens at its tail (its end is what is being watched); "log=start" opens it at the top.
        int from = live && !"start".equals(ctx.queryParam("log"))
                ? logs.tailStart(t.ti().key(), selected, LOG_PAGE_BYTES)
                : 0;
        TaskLogRepository.Page firstPage = logs.readPage(t.ti().key(), selected, from, LOG_PAGE_BYTES);
        model.put("logFrom", from);
        model.put("log", firstPage.text());
        model.put("nextChunk", firstPage.nextChunk());
        model.put("logMore", firstPage.more());
        model.put("live", live);
        pages.html(ctx, "task_instance", model);
    }

    /** The stored JSON object of a try's rendered arguments, one row per argument in its order. */
    static List<RenderedField> renderedFields(String json) {
        JsonNode fields;
        try {
            fields = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of(new RenderedField("(stored)", json));
        }
        List<RenderedField> rows = new java.util.ArrayList<>();
        fields.fieldNames().forEachRemaining(name -> {
            JsonNode value = fields.get(name);
            rows.add(new RenderedField(name, value.isTextual() ? value.asText() : DagPage.pretty(value)));
        });
        return rows;
    }

    /**
     * {@code {"text": ..., "next_offset": K, "more": bool, "finished": bool}}: one page of the log
     * from chunk {@code offset} on ({@code more} when chunks follow it already); with
     * {@code download=true} the whole log as a text file, streamed page by page.
     */
    public void log(Context ctx) {
        Target t = target(ctx);
        int tryNumber = Math.max(1, DagListPage.intParam(ctx, "try", Math.max(1, t.ti().tryNumber())));
        if ("true".equals(ctx.queryParam("download"))) {
            download(ctx, t, tryNumber);
            return;
        }
        int offset = Math.max(0, DagListPage.intParam(ctx, "offset", 0));
        TaskLogRepository.Page page = logs.readPage(t.ti().key(), tryNumber, offset, LOG_PAGE_BYTES);
        boolean finished = tryNumber < t.ti().tryNumber() || t.ti().state().isFinished();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", page.text());
        body.put("next_offset", page.nextChunk());
        body.put("more", page.more());
        body.put("finished", finished);
        body.put("state", t.ti().state().dbName());
        ctx.json(body);
    }

    private void download(Context ctx, Target t, int tryNumber) {
        String name = (t.ti().key().dagId() + "_" + t.ti().key().runId() + "_" + t.ti().taskId() + "_try" + tryNumber)
                        .replaceAll("[^A-Za-z0-9._-]", "_")
                + ".log";
        ctx.status(200)
                .contentType("text/plain; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            logs.writeTo(t.ti().key(), tryNumber, text -> {
                try {
                    out.write(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
