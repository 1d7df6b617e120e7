package dev.gust.core.template;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a task's templates may refer to: the run's identity and dates, params and conf,
 * and look-ups of Variables, Connections and XComs. {@code params} are the DAG's params with the
 * run's conf laid over them (Airflow's {@code params} merged with {@code dag_run.conf}); build
 * with {@link #builder} to get that merge. Secrets read while rendering go to {@code masker}.
 * {@code taskFields} are what {@code task} holds besides {@code task_id}: the task's rendered
 * arguments, once there are any (Airflow's {@code map_index_template} reads {@code
 * task.bash_command}); empty while the arguments themselves are being rendered. {@code
 * addedNames} are names the task's own code added to its context while it ran (a Python
 * callable's {@code get_current_context()[name] = value}), laid over the others.
 */
public record TemplateContext(
        String dagId,
        String taskId,
        String runId,
        Instant logicalDate,
        Instant dataIntervalStart,
        Instant dataIntervalEnd,
        ZoneId timezone,
        int tryNumber,
        Map<String, Object> params,
        Map<String, Object> conf,
        VariableLookup variables,
        ConnectionLookup connections,
        XComLookup xcoms,
        SecretMasker masker,
        int mapIndex,
        Map<String, Object> taskFields,
        Map<String, Object> addedNames) {

    public TemplateContext {
        Objects.requireNonNull(dagId, "dagId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(logicalDate, "logicalDate");
        dataIntervalStart = dataIntervalStart == null ? logicalDate : dataIntervalStart;
        dataIntervalEnd = dataIntervalEnd == null ? dataIntervalStart : dataIntervalEnd;
        timezone = timezone == null ? ZoneOffset.UTC : timezone;
        params = copy(params);
        conf = copy(conf);
        variables = variables == null ? VariableLookup.NONE : variables;
        connections = connections == null ? ConnectionLookup.NONE : connections;
        xcoms = xcoms == null ? XComLookup.NONE : xcoms;
        masker = masker == null ? new SecretMasker() : masker;
        taskFields = copy(taskFields);
        addedNames = copy(addedNames);
    }

    public static Builder builder(String dagId, String taskId, String runId, Instant logicalDate) {
        return new Builder(dagId, taskId, runId, logicalDate);
    }

    /** The DAG's params with the run's conf overriding them key by key, as Airflow does. */
    public static Map<String, Object> mergeParams(Map<String, Object> dagParams, Map<String, Object> conf) {
        Map<String, Object> merged = new LinkedHashMap<>();
        if (dagParams != null) {
            merged.putAll(dagParams);
        }
        if (conf != null) {
            merged.putAll(conf);
        }
        return merged;
    }

    // Values may be null (a JSON null in conf), which Map.copyOf refuses.
    private static Map<String, Object> copy(Map<String, Object> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Fills in Airflow's defaults: data interval = logical date, UTC, try 1, no look-ups. */
    public static final class Builder {
        private final String dagId;
        private final String taskId;
        private final String runId;
        private final Instant logicalDate;
        private Instant dataIntervalStart;
        private Instant dataIntervalEnd;
        private ZoneId timezone = ZoneOffset.UTC;
        private int tryNumber = 1;
        private Map<String, Object> dagParams = Map.of();
        private Map<String, Object> conf = Map.of();
        private VariableLookup variables = VariableLookup.NONE;
        private ConnectionLookup connections = ConnectionLookup.NONE;
        private XComLookup xcoms = XComLookup.NONE;
        private SecretMasker masker = new SecretMasker();
        private int mapIndex = XComLookup.UNMAPPED;
        private Map<String, Object> taskFields = Map.of();
        private Map<String, Object> addedNames = Map.of();

        private Builder(String dagId, String taskId, String runId, Instant logicalDate) {
            this.dagId = dagId;
            this.taskId = taskId;
            this.runId = runId;
            this.logicalDate = logicalDate;
        }

        public Builder dataInterval(Instant start, Instant end) {
            this.dataIntervalStart = start;
            this.dataIntervalEnd = end;
            return this;
        }

        public Builder timezone(ZoneId timezone) {
            this.timezone = timezone;
            return this;
        }

        public Builder tryNumber(int tryNumber) {
            this.tryNumber = tryNumber;
            return this;
        }

        /** The DAG's declared params; the run's conf is laid over them. */
        public Builder dagParams(Map<String, Object> dagParams) {
            this.dagParams = dagParams;
            return this;
        }

        public Builder conf(Map<String, Object> conf) {
            this.conf = conf;
            return this;
        }

        public Builder variables(VariableLookup variables) {
            this.variables = variables;
            return this;
        }

        public Builder connections(ConnectionLookup connections) {
            this.connections = connections;
            return this;
        }

        public Builder xcoms(XComLookup xcoms) {
            this.xcoms = xcoms;
            return this;
        }

        public Builder masker(SecretMasker masker) {
            this.masker = masker;
            return this;
        }

        /** The instance of a mapped task (0..n-1); -1, the default, for a task that is not mapped. */
        public Builder mapIndex(int mapIndex) {
            this.mapIndex = mapIndex;
            return this;
        }

        /** The task's rendered arguments, which templates read as {@code task.<argument>}. */
        public Builder taskFields(Map<String, Object> taskFields) {
            this.taskFields = taskFields;
            return this;
        }

        /** Names the task's code added to its context while it ran, over the others. */
        public Builder addedNames(Map<String, Object> addedNames) {
            this.addedNames = addedNames;
            return this;
        }

        public TemplateContext build() {
            return new TemplateContext(
                    dagId,
                    taskId,
                    runId,
                    logicalDate,
                    dataIntervalStart,
                    dataIntervalEnd,
                    timezone,
                    tryNumber,
                    mergeParams(dagParams, conf),
                    conf,
                    variables,
                    connections,
                    xcoms,
                    masker,
                    mapIndex,
                    taskFields,
                    addedNames);
        }
    }
}
