package dev.gust.scheduler.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.store.callbacks.CallbackRequest;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.variables.Variable;
import dev.gust.core.template.SecretMasker;
import dev.gust.core.template.TemplateConnection;
import dev.gust.core.template.TemplateContext;
import dev.gust.core.template.TemplateRenderer;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One callback request about to run, with what its kinds need: the DAG (as currently loaded),
 * the task, the run and task instance, the template context its strings render with (the task's,
 * plus {@code exception}, {@code exception_html}, {@code reason}, {@code state}, {@code event},
 * {@code try_number}, {@code max_tries}, {@code hostname}, {@code log_url}, and what the event's
 * context adds: an SLA miss's {@code task_list}, {@code blocking_task_list}, {@code slas},
 * {@code blocking_tis}, a missed deadline's {@code deadline}) and the same as plain
 * values for a Python callable's context and a command's environment.
 */
final class CallbackInvocation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TemplateRenderer RENDERER = new TemplateRenderer();

    private final CallbackRequest request;
    private final Dag dag;
    private final TaskSpec task;
    private final DagRun run;
    private final TaskInstance ti;
    private final TemplateContext templates;
    private final Map<String, Object> extra;
    private final CallbackServices services;

    private CallbackInvocation(
            CallbackRequest request,
            Dag dag,
            TaskSpec task,
            DagRun run,
            TaskInstance ti,
            TemplateContext templates,
            Map<String, Object> extra,
            CallbackServices services) {
        this.request = request;
        this.dag = dag;
        this.task = task;
        this.run = run;
        this.ti = ti;
        this.templates = templates;
        this.extra = extra;
        this.services = services;
    }

    /** The invocation of {@code request}; fails when its run is gone. */
    static CallbackInvocation of(CallbackRequest request, CallbackServices services, SecretMasker masker)
            throws CallbackFailure {
        DagRun run = services.stores()
                .dagRuns()
                .find(request.dagId(), request.runId())
                .orElseThrow(() -> new CallbackFailure("run '" + request.runId() + "' of DAG '" + request.dagId()
                        + "' no longer exists; nothing to call back about"));
        Dag dag = services.definitions().get(request.dagId()).map(l -> l.dag()).orElse(null);
        TaskSpec task = dag == null || request.forDag()
                ? null
                : dag.task(request.taskId()).orElse(null);
        TaskInstance ti = request.forDag()
                ? null
                : services.stores()
                        .taskInstances()
                        .find(new TaskInstanceKey(
                                request.dagId(), request.runId(), request.taskId(), request.mapIndex()))
                        .orElse(null);
        Map<String, Object> params = dag == null ? Map.of() : task == null ? dag.params() : dag.paramsOf(task);
        TemplateContext templates = TemplateContext.builder(
                        request.dagId(), request.forDag() ? "" : request.taskId(), request.runId(), run.logicalDate())
                .dataInterval(run.dataIntervalStart(), run.dataIntervalEnd())
                .timezone(dag == null ? null : dag.timezone())
                .tryNumber(request.tryNumber() == null ? 0 : request.tryNumber())
                .mapIndex(request.mapIndex())
                .dagParams(params)
                .conf(conf(run))
                .variables(key -> services.stores().variables().find(key).map(Variable::value))
                .connections(
                        connId -> services.stores().connections().find(connId).map(c -> template(c)))
                .masker(masker)
                .build();
        Map<String, Object> extra = new LinkedHashMap<>();
        Object exception = request.context().get("exception");
        extra.put("exception", exception);
        extra.put("exception_html", exception == null ? null : html(exception.toString()));
        extra.put("reason", request.context().get("reason"));
        extra.put("state", request.context().get("state"));
        extra.put("event", request.event().key());
        extra.put("try_number", request.tryNumber());
        Object maxTries = request.context().get("max_tries");
        extra.put("max_tries", maxTries != null ? maxTries : ti != null ? ti.maxTries() : 0);
        extra.put("hostname", ti == null ? null : ti.hostname());
        // Gust has no configured public URL to build an absolute link from; the UI's path is what there is
        extra.put(
                "log_url",
                request.forDag()
                        ? "/dags/" + segment(request.dagId()) + "/grid"
                        : "/dags/" + segment(request.dagId()) + "/runs/" + segment(request.runId()) + "/tasks/"
                                + segment(request.taskId()) + "/log");
        // what an event adds besides the above: an SLA miss's task_list, slas ..., a deadline's deadline
        request.context().forEach(extra::putIfAbsent);
        return new CallbackInvocation(request, dag, task, run, ti, templates, extra, services);
    }

    CallbackRequest request() {
        return request;
    }

    /** The task as loaded now, or null for a DAG's callback or a task gone from the DAG. */
    TaskSpec task() {
        return task;
    }

    DagRun run() {
        return run;
    }

    Dag dag() {
        return dag;
    }

    /** {@code value} (a string, or strings deep in lists and maps) rendered with the callback's context. */
    Object render(String name, Object value) throws CallbackFailure {
        try {
            return RENDERER.render(name, value, templates, extra);
        } catch (RuntimeException e) {
            throw new CallbackFailure("cannot render " + name + ": " + e.getMessage());
        }
    }

    /** The context as plain values: what a Python callable's context adds and a command's environment reads. */
    Map<String, Object> plainContext() {
        Map<String, Object> context = new LinkedHashMap<>(extra);
        context.put("dag_id", request.dagId());
        context.put("run_id", request.runId());
        context.put("task_id", request.taskId());
        context.put("map_index", request.mapIndex());
        context.put("logical_date", run.logicalDate().toString());
        context.put(
                "ds", DateTimeFormatter.ISO_LOCAL_DATE.format(run.logicalDate().atZone(java.time.ZoneOffset.UTC)));
        return context;
    }

    /** A connection by id, for an HTTP callback's base URL and credentials. */
    Optional<Connection> connection(String connId) {
        return services.stores().connections().find(connId);
    }

    private static TemplateConnection template(Connection c) {
        return new TemplateConnection(
                c.connType(), c.host(), c.schema(), c.login(), c.password(), c.port(), extraOf(c.extra()));
    }

    private static Map<String, Object> extraOf(String extra) {
        if (extra == null || extra.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(extra, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static Map<String, Object> conf(DagRun run) {
        try {
            return run.conf() == null
                    ? Map.of()
                    : JSON.readValue(run.conf(), new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String segment(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private static String html(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\n", "<br>");
    }
}
