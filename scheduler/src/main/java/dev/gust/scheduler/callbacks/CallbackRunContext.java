package dev.gust.scheduler.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.store.Stores;
import dev.gust.core.store.variables.Variable;
import dev.gust.scheduler.operators.TaskLogWriter;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.python.PythonSettings;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Python task runner sees of a callback: the task (or, for a DAG's callback, a stand-in
 * with no task id), the run, Variables and Connections, and XComs to read. A callback pushes no
 * XCom and triggers no run: those are a task's.
 */
final class CallbackRunContext implements TaskRunContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallbackInvocation invocation;
    private final CallbackServices services;
    private final CallbackLog log;

    CallbackRunContext(CallbackInvocation invocation, CallbackServices services, CallbackLog log) {
        this.invocation = invocation;
        this.services = services;
        this.log = log;
    }

    private Stores stores() {
        return services.stores();
    }

    @Override
    public TaskSpec task() {
        TaskSpec task = invocation.task();
        if (task != null) {
            return task;
        }
        String taskId = invocation.request().taskId() == null
                ? ""
                : invocation.request().taskId();
        return TaskSpec.synthetic(taskId, "callback", Map.of());
    }

    @Override
    public String dagId() {
        return invocation.request().dagId();
    }

    @Override
    public String runId() {
        return invocation.request().runId();
    }

    @Override
    public int mapIndex() {
        return invocation.request().mapIndex();
    }

    @Override
    public int tryNumber() {
        Integer tryNumber = invocation.request().tryNumber();
        return tryNumber == null ? 0 : tryNumber;
    }

    @Override
    public Instant logicalDate() {
        return invocation.run().logicalDate();
    }

    @Override
    public Instant dataIntervalStart() {
        return invocation.run().dataIntervalStart();
    }

    @Override
    public Instant dataIntervalEnd() {
        return invocation.run().dataIntervalEnd();
    }

    @Override
    public Map<String, Object> args() {
        return Map.of();
    }

    @Override
    public TaskLogWriter log() {
        return log;
    }

    @Override
    public void pushXcom(String key, Object value) {
        log.line("a callback cannot push XComs; '" + key + "' is dropped");
    }

    @Override
    public Optional<ConnectionDetails> connection(String connId) {
        return stores().connections().find(connId).map(c -> {
            log.masker().add(c.password());
            return new ConnectionDetails(
                    c.connId(),
                    c.connType(),
                    c.host(),
                    c.schema(),
                    c.login(),
                    c.password(),
                    c.port(),
                    extra(c.extra()));
        });
    }

    @Override
    public String triggerDagRun(String dagId, Map<String, Object> conf, Instant logicalDate) {
        throw new UnsupportedOperationException("a callback cannot trigger DAG runs");
    }

    @Override
    public Optional<String> dagRunState(String dagId, String runId) {
        return stores().dagRuns().find(dagId, runId).map(r -> r.state().dbName());
    }

    @Override
    public Optional<List<String>> externalTaskStates(String dagId, String taskId, Instant logicalDate) {
        return Optional.empty();
    }

    @Override
    public Optional<String> externalDagRunState(String dagId, Instant logicalDate) {
        return Optional.empty();
    }

    @Override
    public Map<String, String> baseEnvironment() {
        return services.baseEnvironment();
    }

    @Override
    public Instant tryStartedAt() {
        return services.clock().instant();
    }

    @Override
    public Instant firstTryStartedAt() {
        return services.clock().instant();
    }

    @Override
    public List<String> downstreamTaskIds() {
        Dag dag = invocation.dag();
        return dag == null || invocation.task() == null
                ? List.of()
                : dag.downstream(invocation.task().taskId());
    }

    @Override
    public Optional<Object> pullXcom(String dagId, String taskId, String key) {
        if (!dagId.equals(dagId())) {
            return Optional.empty();
        }
        return stores().xcoms().pull(dagId, runId(), taskId, key).map(CallbackRunContext::decode);
    }

    @Override
    public Optional<String> variable(String key) {
        return stores().variables().find(key).map(Variable::value);
    }

    @Override
    public void setVariable(String key, String value) {
        throw new UnsupportedOperationException("a callback cannot set Variables");
    }

    @Override
    public Map<String, Object> params() {
        Dag dag = invocation.dag();
        if (dag == null) {
            return Map.of();
        }
        return invocation.task() == null ? dag.params() : dag.paramsOf(invocation.task());
    }

    @Override
    public Map<String, Object> conf() {
        return Map.of();
    }

    @Override
    public ZoneId timezone() {
        return invocation.dag() == null ? ZoneOffset.UTC : invocation.dag().timezone();
    }

    @Override
    public PythonSettings python() {
        return services.python();
    }

    private static Object decode(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static Map<String, Object> extra(String extra) {
        if (extra == null || extra.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(extra, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
