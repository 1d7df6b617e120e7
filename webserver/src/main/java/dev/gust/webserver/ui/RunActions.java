package dev.gust.webserver.ui;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.runs.DagRunMarking;
import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskInstanceMarking;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.runs.TriggerConf;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.webserver.WebServices;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UI's actions on DAGs, runs and task instances: pause/unpause, trigger, clear and mark
 * success/failed a task instance or a whole run, a run's note, and delete a run. Each is a GET page that shows what will change (a dry run
 * where core offers one) and a POST that does it, records it in the audit log and redirects.
 * No JavaScript needed, so the strict CSP costs nothing here.
 */
public final class RunActions {

    private final Pages pages;
    private final DagPage dagPage;
    private final TaskInstancePage tiPage;
    private final DagRepository dags;
    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;
    private final DagRunCreator creator;
    private final TaskInstanceClearing clearing;
    private final TaskInstanceMarking marking;
    private final DagRunMarking runMarking;

    public RunActions(Pages pages, DagPage dagPage, TaskInstancePage tiPage, WebServices services) {
        this.pages = pages;
        this.dagPage = dagPage;
        this.tiPage = tiPage;
        this.dags = services.stores().dags();
        this.runs = services.stores().dagRuns();
        this.taskInstances = services.stores().taskInstances();
        this.creator = new DagRunCreator(
                runs, services.dagDefinitions(), services.config().core().catchupByDefault(), services.clock());
        this.clearing = new TaskInstanceClearing(runs, taskInstances);
        this.marking = new TaskInstanceMarking(runs, taskInstances);
        this.runMarking = new DagRunMarking(runs, taskInstances);
    }

    // ---- pause / unpause

    public void confirmPause(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        boolean pause = !"false".equals(ctx.queryParam("paused"));
        String verb = pause ? "Pause" : "Unpause";
        confirm(
                ctx,
                new Confirmation(
                        verb + " " + h.dag().dagId(),
                        pause
                                ? "Pause DAG '" + h.dag().dagId()
                                        + "'? The scheduler creates no new scheduled runs and starts no new tasks of it."
                                : "Unpause DAG '" + h.dag().dagId() + "'? Its schedule resumes.",
                        List.of("is_paused: " + h.stored().paused() + " → " + pause),
                        null,
                        h.base() + "/pause",
                        Map.of("paused", String.valueOf(pause), "next", safeNext(ctx.queryParam("next"), h.base())),
                        verb,
                        safeNext(ctx.queryParam("next"), h.base()),
                        List.of(),
                        false));
    }

    public void pause(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        boolean pause = "true".equals(ctx.formParam("paused"));
        dags.setPaused(h.dag().dagId(), pause);
        pages.audit(ctx, pause ? "pause" : "unpause", h.dag().dagId(), null, null, null);
        pages.flash(
                ctx,
                pause
                        ? "DAG '" + h.dag().dagId() + "' is paused: no new runs or tasks start."
                        : "DAG '" + h.dag().dagId() + "' is unpaused: its schedule and queued runs resume.");
        ctx.redirect(safeNext(ctx.formParam("next"), h.base()));
    }

    // ---- trigger

    public void triggerForm(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        showTriggerForm(
                ctx, h, new TriggerInput(DagPage.pretty(h.dag().params()), "", "", "", Map.of()), Map.of(), null);
    }

    /** What the trigger form sent, shown back as it was when something is wrong. */
    private record TriggerInput(
            String conf, String logicalDate, String runId, String note, Map<String, String> fields) {}

    public void trigger(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        Dag dag = h.dag();
        TriggerParams.Read fields = TriggerParams.read(dag, ctx::formParam);
        TriggerInput input = new TriggerInput(
                orEmpty(ctx.formParam("conf")),
                orEmpty(ctx.formParam("logical_date")),
                orEmpty(ctx.formParam("run_id")).strip(),
                orEmpty(ctx.formParam("note")),
                fields.texts());
        Map<String, String> fieldErrors = new LinkedHashMap<>(fields.errors());
        try {
            if (!fieldErrors.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", fieldErrors.values()));
            }
            // the JSON gives the keys that are not params; for params the fields win (they are kept in sync by gust.js)
            Map<String, Object> conf = new LinkedHashMap<>(TriggerConf.parse(input.conf(), Map.of()));
            conf.putAll(fields.conf());
            conf = TriggerConf.check(conf, dag);
            Instant logicalDate = parseDate(input.logicalDate());
            String wantedRunId = input.runId().isEmpty() ? null : input.runId();
            if (wantedRunId != null && wantedRunId.length() > 250) {
                throw new IllegalArgumentException("the run id is longer than 250 characters; shorten it");
            }
            String runId = creator.triggerWithRunId(
                            dag.dagId(),
                            wantedRunId,
                            conf,
                            logicalDate,
                            input.note().isBlank() ? null : input.note().strip())
                    .map(DagRun::runId)
                    .orElseThrow(() -> new IllegalArgumentException("DAG '" + dag.dagId() + "' already has a run "
                            + (wantedRunId == null ? "" : "with the id '" + wantedRunId + "' or ")
                            + "at that logical date; choose another " + (wantedRunId == null ? "" : "run id or ")
                            + "logical date"));
            boolean paused = h.stored().paused();
            boolean unpause = paused && "true".equals(ctx.formParam("unpause"));
            if (unpause) {
                dags.setPaused(dag.dagId(), false);
                pages.audit(ctx, "unpause", dag.dagId(), null, null, "on trigger");
            }
            pages.audit(ctx, "trigger", dag.dagId(), runId, null, DagPage.pretty(conf));
            pages.flash(
                    ctx,
                    "Triggered run '" + runId + "' of DAG '" + dag.dagId() + "'"
                            + (unpause
                                    ? " and unpaused the DAG."
                                    : paused
                                            ? ". The DAG is paused: the run stays queued until you unpause it."
                                            : "."));
            ctx.redirect(h.base() + "/grid");
        } catch (IllegalArgumentException e) {
            // TriggerConf's and the creator's messages say what to change; nothing was created.
            for (String problem : e.getMessage().split("; ")) {
                Matcher named = PARAM_IN_PROBLEM.matcher(problem);
                if (named.find() && dag.params().containsKey(named.group(1))) {
                    fieldErrors.putIfAbsent(
                            named.group(1), problem.replaceFirst("^conf does not match the DAG's params: ", ""));
                }
            }
            ctx.status(400);
            showTriggerForm(ctx, h, input, fieldErrors, e.getMessage());
        }
    }

    /** The param a problem of TriggerConf names ("param 'limit' ...", "'limit' must be ..."). */
    private static final Pattern PARAM_IN_PROBLEM = Pattern.compile("(?:^|: )(?:param )?'([^']+)'");

    private void showTriggerForm(
            Context ctx, DagPage.Header h, TriggerInput input, Map<String, String> fieldErrors, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("h", h);
        model.put("tab", "trigger");
        model.put("conf", input.conf());
        model.put("logicalDate", input.logicalDate());
        model.put("runId", input.runId());
        model.put("note", input.note());
        // a paused DAG's run would wait queued until someone unpauses it: the form says so and offers to
        model.put("paused", h.stored().paused());
        model.put("unpause", !"false".equals(ctx.formParam("unpause")));
        model.put("error", error);
        model.put("params", TriggerParams.of(h.dag(), input.fields(), fieldErrors));
        model.put("fieldPrefix", TriggerParams.FIELD);
        model.put("fieldsShown", TriggerParams.FIELDS_SHOWN);
        pages.html(ctx, "trigger", model);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** An ISO date or date-time (UTC unless it says otherwise); blank for now. */
    static Instant parseDate(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.trim();
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException ignored) {
            // not an instant with an offset; try the shorter forms
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ignored) {
            // no offset
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "logical date '" + value + "' is not a date; write it like 2024-01-31 or 2024-01-31T06:00:00Z");
        }
    }

    // ---- clear

    public void confirmClear(Context ctx) {
        TaskInstancePage.Target t = tiPage.target(ctx);
        Options o = Options.of(ctx::queryParam);
        TaskInstanceClearing.Result preview = clearing.clear(t.header().dag(), clearRequest(t, o, true));
        confirm(
                ctx,
                new Confirmation(
                        "Clear " + t.ti().taskId(),
                        "Clear these task instances of run '" + t.run().runId() + "'? The scheduler runs them again"
                                + " (a running one is stopped first).",
                        describe(preview.taskInstances()),
                        "Nothing to clear with these options.",
                        t.path() + "/clear",
                        o.fields(),
                        "Clear",
                        t.path(),
                        List.of(
                                new Confirmation.Option("downstream", "Downstream", o.downstream()),
                                new Confirmation.Option("upstream", "Upstream", o.upstream()),
                                new Confirmation.Option("only_failed", "Only failed", o.onlyFailed())),
                        false));
    }

    public void clear(Context ctx) {
        TaskInstancePage.Target t = tiPage.target(ctx);
        Options o = Options.of(ctx::formParam);
        TaskInstanceClearing.Result result = clearing.clear(t.header().dag(), clearRequest(t, o, false));
        pages.audit(
                ctx,
                "clear",
                t.run().dagId(),
                t.run().runId(),
                t.ti().taskId(),
                o.describe() + "; cleared: "
                        + String.join(
                                ", ",
                                result.taskInstances().stream()
                                        .map(TaskInstance::taskId)
                                        .toList()));
        pages.flash(ctx, changedMessage("Cleared", result.taskInstances(), "; the scheduler runs them again."));
        ctx.redirect(t.header().base() + "/grid");
    }

    private static TaskInstanceClearing.Request clearRequest(TaskInstancePage.Target t, Options o, boolean dryRun) {
        return new TaskInstanceClearing.Request(
                t.run().dagId(),
                t.run().runId(),
                TaskSelection.of(List.of(t.ti().taskId()), o.upstream(), o.downstream()),
                o.onlyFailed(),
                null,
                null,
                dryRun);
    }

    // ---- mark success / failed

    public void confirmMark(Context ctx) {
        TaskInstancePage.Target t = tiPage.target(ctx);
        TaskState target = markTarget(ctx.queryParam("state"));
        Options o = Options.of(ctx::queryParam);
        List<TaskInstance> preview = marking.mark(
                t.header().dag(),
                t.run(),
                TaskSelection.of(List.of(t.ti().taskId()), o.upstream(), o.downstream()),
                target,
                true);
        Map<String, String> fields = new LinkedHashMap<>(o.fields());
        fields.put("state", target.dbName());
        confirm(
                ctx,
                new Confirmation(
                        "Mark " + t.ti().taskId() + " " + target.dbName(),
                        "Mark these task instances of run '" + t.run().runId() + "' " + target.dbName() + "?",
                        preview.stream()
                                .map(ti -> ti.taskId() + ": " + ti.state().dbName() + " → " + target.dbName())
                                .toList(),
                        "Nothing changes: the selected tasks are already " + target.dbName() + " or cannot move there.",
                        t.path() + "/mark",
                        fields,
                        "Mark " + target.dbName(),
                        t.path(),
                        List.of(
                                new Confirmation.Option("downstream", "Downstream", o.downstream()),
                                new Confirmation.Option("upstream", "Upstream", o.upstream())),
                        target == TaskState.FAILED));
    }

    public void mark(Context ctx) {
        TaskInstancePage.Target t = tiPage.target(ctx);
        TaskState target = markTarget(ctx.formParam("state"));
        Options o = Options.of(ctx::formParam);
        List<TaskInstance> changed = marking.mark(
                t.header().dag(),
                t.run(),
                TaskSelection.of(List.of(t.ti().taskId()), o.upstream(), o.downstream()),
                target,
                false);
        pages.audit(
                ctx,
                "mark_" + target.dbName(),
                t.run().dagId(),
                t.run().runId(),
                t.ti().taskId(),
                o.describe() + "; changed: "
                        + String.join(
                                ", ", changed.stream().map(TaskInstance::taskId).toList()));
        pages.flash(ctx, changedMessage("Marked", changed, " " + target.dbName() + "."));
        ctx.redirect(t.header().base() + "/grid");
    }

    private static TaskState markTarget(String state) {
        if ("failed".equals(state)) {
            return TaskState.FAILED;
        }
        if (state == null || "success".equals(state)) {
            return TaskState.SUCCESS;
        }
        throw new PageNotFound("A task instance can be marked success or failed, not '" + state + "'.");
    }

    // ---- clear or mark a whole run (Airflow's run-level "Clear" and "Mark success / failed")

    public void confirmClearRun(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        DagRun run = run(h, ctx.pathParam("run_id"));
        boolean onlyFailed = Options.of(ctx::queryParam).onlyFailed();
        TaskInstanceClearing.Result preview = clearing.clear(h.dag(), runClearRequest(run, onlyFailed, true));
        String runPath = h.base() + "/runs/" + Fmt.segment(run.runId());
        confirm(
                ctx,
                new Confirmation(
                        "Clear run " + run.runId(),
                        "Clear " + (onlyFailed ? "the failed task instances" : "every task instance") + " of run '"
                                + run.runId() + "'? The scheduler runs them again (a running one is stopped first).",
                        describe(preview.taskInstances()),
                        "Nothing to clear" + (onlyFailed ? ": no task instance of this run failed." : "."),
                        runPath + "/clear",
                        Map.of("only_failed", String.valueOf(onlyFailed)),
                        "Clear",
                        gridWithRun(h, run),
                        List.of(new Confirmation.Option("only_failed", "Only failed", onlyFailed)),
                        false));
    }

    public void clearRun(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        DagRun run = run(h, ctx.pathParam("run_id"));
        boolean onlyFailed = Options.of(ctx::formParam).onlyFailed();
        TaskInstanceClearing.Result result = clearing.clear(h.dag(), runClearRequest(run, onlyFailed, false));
        pages.audit(
                ctx,
                "clear",
                run.dagId(),
                run.runId(),
                null,
                "whole run, only_failed=" + onlyFailed + "; cleared: "
                        + String.join(
                                ", ",
                                result.taskInstances().stream()
                                        .map(TaskInstance::taskId)
                                        .toList()));
        pages.flash(ctx, changedMessage("Cleared", result.taskInstances(), " of run '" + run.runId() + "'."));
        ctx.redirect(gridWithRun(h, run));
    }

    private static TaskInstanceClearing.Request runClearRequest(DagRun run, boolean onlyFailed, boolean dryRun) {
        return new TaskInstanceClearing.Request(
                run.dagId(), run.runId(), TaskSelection.all(), onlyFailed, null, null, dryRun);
    }

    public void confirmMarkRun(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        DagRun run = run(h, ctx.pathParam("run_id"));
        DagRunState target = runMarkTarget(ctx.queryParam("state"));
        List<String> changes = new ArrayList<>();
        if (run.state() != target) {
            changes.add("run " + run.runId() + ": " + run.state().dbName() + " → " + target.dbName());
        }
        runMarking.preview(h.dag(), run, target).stream()
                .map(c -> c.taskInstance().taskId() + ": "
                        + c.taskInstance().state().dbName() + " → " + c.to().dbName())
                .forEach(changes::add);
        confirm(
                ctx,
                new Confirmation(
                        "Mark run " + run.runId() + " " + target.dbName(),
                        "Mark run '" + run.runId() + "' of DAG '" + run.dagId() + "' " + target.dbName() + "?"
                                + (target == DagRunState.FAILED
                                        ? " Running tasks fail and tasks that have not finished are skipped."
                                        : " Every task instance that has not succeeded is marked success."),
                        changes,
                        "Nothing changes: the run is " + target.dbName() + " already.",
                        h.base() + "/runs/" + Fmt.segment(run.runId()) + "/mark",
                        Map.of("state", target.dbName()),
                        "Mark " + target.dbName(),
                        gridWithRun(h, run),
                        List.of(),
                        target == DagRunState.FAILED));
    }

    public void markRun(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        DagRun run = run(h, ctx.pathParam("run_id"));
        DagRunState target = runMarkTarget(ctx.formParam("state"));
        List<DagRunMarking.Change> changed = runMarking.preview(h.dag(), run, target);
        DagRun after = runMarking.mark(h.dag(), run, target);
        pages.audit(
                ctx,
                "mark_dag_run_" + target.dbName(),
                run.dagId(),
                run.runId(),
                null,
                "run " + run.state().dbName() + " → " + after.state().dbName() + "; task instances: "
                        + String.join(
                                ", ",
                                changed.stream()
                                        .map(c -> c.taskInstance().taskId() + "→" + c.to().dbName())
                                        .toList()));
        pages.flash(
                ctx,
                "Run '" + run.runId() + "' is " + after.state().dbName() + "; " + changed.size() + " task instance"
                        + (changed.size() == 1 ? "" : "s") + " changed.");
        ctx.redirect(gridWithRun(h, run));
    }

    private static DagRunState runMarkTarget(String state) {
        if ("failed".equals(state)) {
            return DagRunState.FAILED;
        }
        if (state == null || "success".equals(state)) {
            return DagRunState.SUCCESS;
        }
        throw new PageNotFound("A DAG run can be marked success or failed, not '" + state + "'.");
    }

    /** The grid with the run's panel open: where a run action started and comes back to. */
    private static String gridWithRun(DagPage.Header h, DagRun run) {
        return h.base() + "/grid?run_id=" + Fmt.segment(run.runId());
    }

    // ---- a run's note

    public void saveNote(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        DagRun run = run(h, ctx.pathParam("run_id"));
        String note = ctx.formParam("note");
        String saved = note == null || note.isBlank() ? null : note.strip();
        runs.setNote(run.id(), saved);
        pages.audit(ctx, "set_dag_run_note", run.dagId(), run.runId(), null, saved);
        pages.flash(ctx, saved == null ? "Note removed." : "Note saved.");
        ctx.redirect(h.base() + "/runs/" + Fmt.segment(run.runId()));
    }

    // ---- delete a run

    public void confirmDeleteRun(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        DagRun run = run(h, ctx.pathParam("run_id"));
        int tis = taskInstances.listForRun(run.dagId(), run.runId()).size();
        confirm(
                ctx,
                new Confirmation(
                        "Delete run " + run.runId(),
                        "Delete run '" + run.runId() + "' of DAG '" + run.dagId()
                                + "' with its task instances, logs and XComs? This cannot be undone.",
                        List.of("run " + run.runId() + " (" + run.state().dbName() + ", " + tis + " task instances)"),
                        null,
                        h.base() + "/runs/" + Fmt.segment(run.runId()) + "/delete",
                        Map.of(),
                        "Delete",
                        h.base() + "/runs",
                        List.of(),
                        true));
    }

    public void deleteRun(Context ctx) {
        DagPage.Header h = dagPage.header(ctx);
        DagRun run = run(h, ctx.pathParam("run_id"));
        runs.delete(run.dagId(), run.runId());
        pages.audit(
                ctx,
                "delete_dag_run",
                run.dagId(),
                run.runId(),
                null,
                "state was " + run.state().dbName());
        pages.flash(ctx, "Deleted run '" + run.runId() + "' of DAG '" + run.dagId() + "'.");
        ctx.redirect(h.base() + "/runs");
    }

    private DagRun run(DagPage.Header h, String runId) {
        return runs.find(h.dag().dagId(), runId)
                .orElseThrow(() -> new PageNotFound("DAG '" + h.dag().dagId() + "' has no run '" + runId + "'."));
    }

    // ---- shared

    private void confirm(Context ctx, Confirmation confirmation) {
        pages.html(ctx, "confirm", Map.of("c", confirmation));
    }

    /** "Cleared 2 task instances (a, b); ..." or, when none changed, says so. */
    static String changedMessage(String verb, List<TaskInstance> changed, String tail) {
        if (changed.isEmpty()) {
            return "Nothing changed: no task instance could be " + verb.toLowerCase(java.util.Locale.ROOT)
                    + " (they moved on meanwhile).";
        }
        return verb + " " + changed.size() + " task instance" + (changed.size() == 1 ? "" : "s") + " ("
                + String.join(", ", changed.stream().map(TaskInstance::taskId).toList()) + ")" + tail;
    }

    private static List<String> describe(List<TaskInstance> tis) {
        return tis.stream()
                .map(ti -> ti.taskId() + " (" + ti.state().dbName() + ")")
                .toList();
    }

    /** Only a path on this site, so that a crafted link cannot send the user elsewhere after an action. */
    static String safeNext(String next, String fallback) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return fallback;
        }
        return next;
    }

    /** The upstream/downstream/only-failed checkboxes of clear and mark. */
    record Options(boolean upstream, boolean downstream, boolean onlyFailed) {

        static Options of(java.util.function.Function<String, String> param) {
            return new Options(
                    on(param.apply("upstream")), on(param.apply("downstream")), on(param.apply("only_failed")));
        }

        private static boolean on(String value) {
            return "true".equals(value) || "on".equals(value);
        }

        Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("upstream", String.valueOf(upstream));
            fields.put("downstream", String.valueOf(downstream));
            fields.put("only_failed", String.valueOf(onlyFailed));
            return fields;
        }

        String describe() {
            return "upstream=" + upstream + ", downstream=" + downstream + ", only_failed=" + onlyFailed;
        }
    }
}
