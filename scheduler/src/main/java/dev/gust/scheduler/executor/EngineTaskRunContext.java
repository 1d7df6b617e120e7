package dev.gust.scheduler.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.variables.Variable;
import dev.gust.core.template.SecretMasker;
import dev.gust.core.template.TemplateContext;
import dev.gust.scheduler.operators.TaskLogWriter;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.python.PythonSettings;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link TaskRunContext} of a try run by this process, backed by the metadata database. */
final class EngineTaskRunContext implements TaskRunContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskRunServices services;
    private final Dag dag;
    private final TaskSpec task;
    private final DagRun run;
    private final TaskInstance ti;
    private final Map<String, Object> args;
    private final TaskLogWriter log;
    private final XComSink xcoms;
    private final SecretMasker masker;
    private final List<dev.gust.scheduler.operators.OutletAliasEvent> outletEvents =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Object> templateNames =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    EngineTaskRunContext(
            TaskRunServices services,
            Dag dag,
            TaskSpec task,
            DagRun run,
            TaskInstance ti,
            Map<String, Object> args,
            TaskLogWriter log,
            XComSink xcoms,
            SecretMasker masker) {
        this.services = services;
        this.dag = dag;
        this.task = task;
        this.run = run;
        this.ti = ti;
        this.args = args;
        this.log = log;
        this.xcoms = xcoms;
        this.masker = masker;
    }

    @Override
    public void addTemplateNames(Map<String, Object> names) {
        templateNames.putAll(names);
    }

    @Override
    public void addOutletEvent(String alias, String uri, Map<String, Object> extra) {
        if (!task.outletAliasNames().contains(alias)) {
            throw new dev.gust.scheduler.operators.InvalidArgumentException("task '" + task.taskId() + "' of DAG '"
                    + dag.dagId() + "' has no dataset alias '" + alias + "' among its outlets; add"
                    + " {__type__: airflow.datasets.DatasetAlias, name: " + alias + "} to its outlets");
        }
        if (uri == null || uri.isBlank()) {
            throw new dev.gust.scheduler.operators.InvalidArgumentException(
                    "a dataset event through alias '" + alias + "' needs the dataset's URI");
        }
        try {
            outletEvents.add(new dev.gust.scheduler.operators.OutletAliasEvent(
                    alias, uri.strip(), JSON.writeValueAsString(extra == null ? Map.of() : extra)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.gust.scheduler.operators.InvalidArgumentException(
                    "the extra of a dataset event is not JSON: " + e.getMessage());
        }
    }

    /** The dataset events the task's code added through its outlets' aliases ({@link #addOutletEvent}). */
    List<dev.gust.scheduler.operators.OutletAliasEvent> outletEvents() {
        return List.copyOf(outletEvents);
    }

    /** What the task's code added to its context while it ran ({@link #addTemplateNames}). */
    Map<String, Object> templateNames() {
        synchronized (templateNames) {
            return new java.util.LinkedHashMap<>(templateNames);
        }
    }

    /** Where pushed XComs go: the database when the engine runs a task, the terminal for tasks test. */
    @FunctionalInterface
    interface XComSink {
        void push(String key, String json);
    }

    @Override
    public TaskSpec task() {
        return task;
    }

    @Override
    public String dagId() {
        return dag.dagId();
    }

    @Override
    public String runId() {
        return run.runId();
    }

    @Override
    public int mapIndex() {
        return ti.key().mapIndex();
    }

    @Override
    public int tryNumber() {
        return ti.tryNumber();
    }

    @Override
    public Instant logicalDate() {
        return run.logicalDate();
    }

    @Override
    public Instant dataIntervalStart() {
        return run.dataIntervalStart();
    }

    @Override
    public Instant dataIntervalEnd() {
        return run.dataIntervalEnd();
    }

    @Override
    public Map<String, Object> args() {
        return args;
    }

    @Override
    public TaskLogWriter log() {
        return log;
    }

    @Override
    public Map<String, String> baseEnvironment() {
        return services.baseEnvironment();
    }

    @Override
    public Instant tryStartedAt() {
        return ti.startDate();
    }

    @Override
    public List<String> downstreamTaskIds() {
        return dag.downstream(task.taskId());
    }

    @Override
    public Instant firstTryStartedAt() {
        return ti.firstTryStartedAt() != null ? ti.firstTryStartedAt() : ti.startDate();
    }

    @Override
    public void pushXcom(String key, Object value) {
        try {
            // The one place a task's output becomes XCom: what Viewers read must not hold the secrets the log hides.
            xcoms.push(key, JSON.writeValueAsString(masker.redact(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "XCom value of key '" + key + "' cannot be stored as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ConnectionDetails> connection(String connId) {
        // An operator may print what it was given (an error quoting a URL): its secrets are masked from now on.
        return services.connections()
                .find(connId)
                .map(EngineTaskRunContext::details)
                .map(details -> {
                    masker.add(details.password());
                    masker.addSensitive(details.extra());
                    return details;
                });
    }

    private static ConnectionDetails details(Connection c) {
        Map<String, Object> extra = Map.of();
        if (c.extra() != null && !c.extra().isBlank()) {
            try {
                extra = JSON.readValue(c.extra(), new TypeReference<Map<String, Object>>() {});
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the extra of connection '" + c.connId() + "' is not a JSON object");
            }
        }
        return new ConnectionDetails(
                c.connId(), c.connType(), c.host(), c.schema(), c.login(), c.password(), c.port(), extra);
    }

    @Override
    public Optional<Object> pullXcom(String dagId, String taskId, String key) {
        String runId = dagId.equals(run.dagId())
                ? run.runId()
                : services.dagRuns()
                        .findByLogicalDate(dagId, run.logicalDate())
                        .map(DagRun::runId)
                        .orElse(null);
        if (runId == null) {
            return Optional.empty();
        }
        return services.xcoms().pull(dagId, runId, taskId, key).map(EngineTaskRunContext::decode);
    }

    @Override
    public Optional<String> variable(String key) {
        Optional<String> value = services.variables().find(key).map(Variable::value);
        value.ifPresent(raw -> {
            // The rule templates follow: a secret name masks the whole value, JSON inside any value
            // masks what sits under secret names.
            Object json = tryDecode(raw);
            if (SecretMasker.isSensitiveName(key)) {
                masker.add(raw);
                masker.addAll(json);
            } else {
                masker.addSensitive(json);
            }
        });
        return value;
    }

    @Override
    public void setVariable(String key, String value) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a Variable needs a key");
        }
        services.variables().set(key, value, null);
        if (SecretMasker.isSensitiveName(key)) {
            masker.add(value);
        }
    }

    @Override
    public Map<String, Object> params() {
        return TemplateContext.mergeParams(dag.paramsOf(task), conf());
    }

    @Override
    public Map<String, Object> conf() {
        Object conf = run.conf() == null ? null : tryDecode(run.conf());
        if (!(conf instanceof Map<?, ?> map)) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    @Override
    public ZoneId timezone() {
        return dag.timezone();
    }

    @Override
    public PythonSettings python() {
        return services.python();
    }

    private static Object decode(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored XCom is not JSON: " + e.getMessage(), e);
        }
    }

    private static Object tryDecode(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    public String triggerDagRun(String dagId, Map<String, Object> conf, Instant logicalDate) {
        return services.dagRunTrigger().trigger(dagId, conf, logicalDate, "triggered by " + ti.key());
    }

    @Override
    public Optional<String> dagRunState(String dagId, String runId) {
        return services.dagRuns().find(dagId, runId).map(r -> r.state().dbName());
    }

    @Override
    public Optional<String> externalDagRunState(String dagId, Instant logicalDate) {
        return services.dagRuns()
                .findByLogicalDate(dagId, logicalDate)
                .map(r -> r.state().dbName());
    }

    @Override
    public Optional<List<String>> externalTaskStates(String dagId, String taskId, Instant logicalDate) {
        return services.dagRuns()
                .findByLogicalDate(dagId, logicalDate)
                .map(r -> services.taskInstances().listForRun(dagId, r.runId()).stream()
                        .filter(t -> t.taskId().equals(taskId))
                        .sorted(java.util.Comparator.comparingInt(t -> t.key().mapIndex()))
                        .map(t -> t.state().dbName())
                        .toList())
                .filter(states -> !states.isEmpty());
    }
}
