package dev.gust.webserver.ui;

import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.core.store.views.TaskInstanceExtrasQuery;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task instance: its state, tries, times and host, the rendered templates, its XComs and the
 * log of each try. The log of a running try is followed by {@code /static/gust.js}, which polls
 * {@link #log} for the chunks after the ones it has and appends them as text (never as HTML).
 */
public final class TaskInstancePage {

    /** A try's log that the page shows, and whether it is the one selected. */
    public record TryTab(int number, String href, boolean selected) {
    }

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
        this.runs = new DagRunRepository(services.jdbc());
        this.taskInstances = new TaskInstanceRepository(services.jdbc());
        this.logs = new TaskLogRepository(services.jdbc());
        this.xcoms = new XComRepository(services.jdbc());
        this.extras = new TaskInstanceExtrasQuery(services.jdbc());
    }

    /** The DAG, run and task instance the path names; a 404 when any is missing. */
    record Target(DagPage.Header header, DagRun run, TaskInstance ti, TaskSpec task, String path, List<Integer> mapIndexes) {
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
                .filter(candidate -> candidate.taskId().equals(taskId)).toList();
        String wanted = ctx.queryParam("map_index");
        TaskInstance ti = instances.stream()
                .filter(candidate -> wanted == null || wanted.isBlank() || String.valueOf(candidate.key().mapIndex()).equals(wanted.trim()))
                .findFirst()
                .orElseThrow(() -> new PageNotFound("Run '" + runId + "' of DAG '" + dagId + "' has no task '" + taskId + "'"
                        + (wanted == null || wanted.isBlank() ? "" : " with map index " + wanted) + "."));
        TaskSpec task = header.dag().task(taskId).orElse(null);
        String path = header.base() + "/runs/" + Fmt.segment(runId) + "/tasks/" + Fmt.segment(taskId);
        List<Integer> mapIndexes = instances.size() > 1 ? instances.stream().map(i -> i.key().mapIndex()).toList() : List.of();
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
        List<TaskLogRepository.Chunk> chunks = logs.readFrom(t.ti().key(), selected, 0);
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.content()));
        int nextChunk = chunks.isEmpty() ? 0 : chunks.getLast().number() + 1;
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("State", t.ti().state().dbName());
        facts.put("Try", t.ti().tryNumber() + " of " + (t.ti().maxTries() + 1));
        facts.put("Operator", t.ti().operator());
        facts.put("Pool", t.ti().pool() + " (" + t.ti().poolSlots() + " slot" + (t.ti().poolSlots() == 1 ? "" : "s") + ")");
        facts.put("Priority weight", t.ti().priorityWeight());
        facts.put("Hostname", t.ti().hostname());
        facts.put("Executor", t.ti().executor());
        if ("ecs".equals(t.ti().executor())) {
            facts.put("ECS task", t.ti().externalExecutorId() != null ? t.ti().externalExecutorId()
                    : t.ti().state() == TaskState.RUNNING ? "being launched" : "");
            if (t.ti().state() == TaskState.RUNNING) {
                // ECS's PROVISIONING/PENDING: launched, but the container has not started the worker
                facts.put("Worker", t.ti().pid() != null ? "started (pid " + t.ti().pid() + ")"
                        : "waiting for the ECS task's container to start");
            }
        }
        facts.put("Queued at", Fmt.INSTANCE.time(t.ti().queuedAt()));
        facts.put("Started", Fmt.INSTANCE.time(t.ti().startDate()));
        facts.put("Ended", Fmt.INSTANCE.time(t.ti().endDate()));
        facts.put("Duration", t.ti().duration() != null ? Fmt.INSTANCE.seconds(t.ti().duration())
                : Fmt.INSTANCE.duration(t.ti().startDate(), t.ti().endDate()));
        facts.put("Next retry at", Fmt.INSTANCE.time(t.ti().nextRetryAt()));
        facts.put("Trigger rule", t.task() == null ? "" : t.task().triggerRule().toString().toLowerCase(java.util.Locale.ROOT));
        facts.put("Upstream", t.task() == null ? "" : String.join(", ", t.task().upstream()));
        Map<String, Object> model = new HashMap<>();
        model.put("h", t.header());
        model.put("run", t.run());
        model.put("ti", t.ti());
        model.put("path", t.path());
        model.put("mapQuery", mapIndexQuery(t));
        model.put("mapIndexes", t.mapIndexes());
        model.put("facts", facts);
        model.put("rendered", extras.renderedFields(t.ti().key()).map(DagPage::pretty).orElse(null));
        model.put("xcoms", xcoms.listForRun(t.run().dagId(), t.run().runId()).stream()
                .filter(x -> x.taskId().equals(t.ti().taskId()) && x.mapIndex() == t.ti().key().mapIndex()).toList());
        model.put("tabs", tabs);
        model.put("try", selected);
        model.put("log", text.toString());
        model.put("nextChunk", nextChunk);
        // Only the latest try of an unfinished task can still grow.
        model.put("live", selected == tries && !t.ti().state().isFinished());
        pages.html(ctx, "task_instance", model);
    }

    /** {@code {"text": ..., "next_offset": K, "finished": bool}}: the log chunks from {@code offset} on. */
    public void log(Context ctx) {
        Target t = target(ctx);
        int tryNumber = Math.max(1, DagListPage.intParam(ctx, "try", Math.max(1, t.ti().tryNumber())));
        int offset = Math.max(0, DagListPage.intParam(ctx, "offset", 0));
        List<TaskLogRepository.Chunk> chunks = logs.readFrom(t.ti().key(), tryNumber, offset);
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.content()));
        int next = chunks.isEmpty() ? offset : chunks.getLast().number() + 1;
        boolean finished = tryNumber < t.ti().tryNumber() || t.ti().state().isFinished();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text.toString());
        body.put("next_offset", next);
        body.put("finished", finished);
        body.put("state", t.ti().state().dbName());
        ctx.json(body);
    }
}
