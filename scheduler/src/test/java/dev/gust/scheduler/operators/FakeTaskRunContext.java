package dev.gust.scheduler.operators;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TaskSpecBuilder;
import dev.gust.scheduler.operators.python.PythonSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link TaskRunContext} for operator tests: arguments given directly, log lines
 * and XComs collected in lists, connections, DAG runs and external task states set by the test.
 */
public final class FakeTaskRunContext implements TaskRunContext {

    public final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, Object> xcoms = new ConcurrentHashMap<>();
    public final Map<String, ConnectionDetails> connections = new HashMap<>();
    public final List<String> triggered = new CopyOnWriteArrayList<>();
    public final Map<String, String> dagRunStates = new ConcurrentHashMap<>();
    public final Map<String, String> externalStates = new ConcurrentHashMap<>();
    public final List<Instant> externalLookups = new CopyOnWriteArrayList<>();
    public final Map<String, Object> pulledXcoms = new ConcurrentHashMap<>();
    public final Map<String, String> variables = new ConcurrentHashMap<>();
    public final Map<String, Object> params = new LinkedHashMap<>();
    public Map<String, Object> triggeredConf;
    public Instant triggeredLogicalDate;

    private final Map<String, Object> args;
    private final List<String> downstream = new ArrayList<>();
    private Map<String, String> baseEnvironment = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/tmp");
    private Instant logicalDate = Instant.parse("2024-01-01T00:00:00Z");
    private Instant dataIntervalEnd = Instant.parse("2024-01-02T00:00:00Z");
    private Instant tryStartedAt = Instant.now();
    private Instant firstTryStartedAt = tryStartedAt;
    private int tryNumber = 1;
    private PythonSettings python = new PythonSettings(
            new GustConfig.Python("python3", List.of()),
            Path.of(System.getProperty("java.io.tmpdir")),
            Path.of(System.getProperty("java.io.tmpdir"), "gust-test-python"));

    public FakeTaskRunContext(Map<String, Object> args) {
        this.args = new LinkedHashMap<>(args);
    }

    public static FakeTaskRunContext of(Object... keyValues) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new FakeTaskRunContext(args);
    }

    public FakeTaskRunContext downstream(String... ids) {
        Collections.addAll(downstream, ids);
        return this;
    }

    public FakeTaskRunContext baseEnvironment(Map<String, String> env) {
        this.baseEnvironment = env;
        return this;
    }

    public FakeTaskRunContext firstTryStartedAt(Instant instant) {
        this.firstTryStartedAt = instant;
        return this;
    }

    public FakeTaskRunContext tryNumber(int tryNumber) {
        this.tryNumber = tryNumber;
        return this;
    }

    public FakeTaskRunContext dataIntervalEnd(Instant instant) {
        this.dataIntervalEnd = instant;
        return this;
    }

    public FakeTaskRunContext python(PythonSettings settings) {
        this.python = settings;
        return this;
    }

    public FakeTaskRunContext connection(ConnectionDetails details) {
        connections.put(details.connId(), details);
        return this;
    }

    public String logText() {
        return String.join("\n", logLines);
    }

    @Override
    public TaskSpec task() {
        return new TaskSpecBuilder("the_task").operator("test", args).line(1).build();
    }

    @Override
    public String dagId() {
        return "the_dag";
    }

    @Override
    public String runId() {
        return "manual__2024-01-01";
    }

    @Override
    public int mapIndex() {
        return -1;
    }

    @Override
    public int tryNumber() {
        return tryNumber;
    }

    @Override
    public Instant logicalDate() {
        return logicalDate;
    }

    @Override
    public Instant dataIntervalStart() {
        return logicalDate;
    }

    @Override
    public Instant dataIntervalEnd() {
        return dataIntervalEnd;
    }

    @Override
    public Map<String, Object> args() {
        return args;
    }

    @Override
    public TaskLogWriter log() {
        return logLines::add;
    }

    @Override
    public void pushXcom(String key, Object value) {
        xcoms.put(key, value);
    }

    @Override
    public Optional<ConnectionDetails> connection(String connId) {
        return Optional.ofNullable(connections.get(connId));
    }

    @Override
    public String triggerDagRun(String dagId, Map<String, Object> conf, Instant logicalDate) {
        triggered.add(dagId);
        triggeredConf = conf;
        triggeredLogicalDate = logicalDate;
        return "manual__" + dagId;
    }

    @Override
    public Optional<String> dagRunState(String dagId, String runId) {
        return Optional.ofNullable(dagRunStates.get(dagId + "/" + runId));
    }

    @Override
    public Optional<List<String>> externalTaskStates(String dagId, String taskId, Instant logicalDate) {
        externalLookups.add(logicalDate);
        // a mapped task's instances are written "success,running,..."
        return Optional.ofNullable(externalStates.get(dagId + "/" + taskId)).map(states -> List.of(states.split(",")));
    }

    @Override
    public Optional<String> externalDagRunState(String dagId, Instant logicalDate) {
        externalLookups.add(logicalDate);
        return Optional.ofNullable(externalStates.get(dagId));
    }

    @Override
    public Map<String, String> baseEnvironment() {
        return baseEnvironment;
    }

    @Override
    public Instant tryStartedAt() {
        return tryStartedAt;
    }

    @Override
    public Instant firstTryStartedAt() {
        return firstTryStartedAt;
    }

    @Override
    public List<String> downstreamTaskIds() {
        return List.copyOf(downstream);
    }

    /** Pulls what the test put in {@link #pulledXcoms} under {@code "dagId/taskId/key"}. */
    @Override
    public Optional<Object> pullXcom(String dagId, String taskId, String key) {
        return Optional.ofNullable(pulledXcoms.get(dagId + "/" + taskId + "/" + key));
    }

    @Override
    public Optional<String> variable(String key) {
        return Optional.ofNullable(variables.get(key));
    }

    @Override
    public void setVariable(String key, String value) {
        variables.put(key, value);
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public Map<String, Object> conf() {
        return Map.of();
    }

    @Override
    public ZoneId timezone() {
        return ZoneOffset.UTC;
    }

    @Override
    public PythonSettings python() {
        return python;
    }
}
