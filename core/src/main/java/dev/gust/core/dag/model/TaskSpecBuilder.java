package dev.gust.core.dag.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@link TaskSpec} with the defaults a YAML task without options gets (an {@code empty}
 * operator, no retries, the default pool), for tasks no DAG file declares (a callback's context,
 * see {@link TaskSpec#synthetic}) and for tests, which set only the fields they are about. The
 * one place besides the loader that lists every component: a new component gets its default here.
 */
public final class TaskSpecBuilder {

    private final String taskId;
    private final List<String> upstream;
    private String operator = "empty";
    private Map<String, Object> args = Map.of();
    private int line;
    private int retries;
    private Duration retryDelay = TaskSpec.DEFAULT_RETRY_DELAY;
    private boolean retryExponentialBackoff;
    private Duration maxRetryDelay;
    private int priorityWeight = 1;
    private WeightRule weightRule = WeightRule.DOWNSTREAM;
    private TriggerRule triggerRule = TriggerRule.ALL_SUCCESS;
    private boolean dependsOnPast;
    private boolean ignoreFirstDependsOnPast = true;
    private boolean waitForDownstream;
    private Map<String, Object> expand;
    private Duration sla;

    public TaskSpecBuilder(String taskId, String... upstream) {
        this.taskId = taskId;
        this.upstream = List.of(upstream);
    }

    /** The operator and its arguments ({@code empty} without arguments unless set). */
    public TaskSpecBuilder operator(String operator, Map<String, Object> args) {
        this.operator = operator;
        this.args = args;
        return this;
    }

    /** The line of the DAG file the task starts at (0: none). */
    public TaskSpecBuilder line(int line) {
        this.line = line;
        return this;
    }

    public TaskSpecBuilder retries(int retries, Duration delay, boolean exponential, Duration maxDelay) {
        this.retries = retries;
        this.retryDelay = delay;
        this.retryExponentialBackoff = exponential;
        this.maxRetryDelay = maxDelay;
        return this;
    }

    public TaskSpecBuilder priority(int weight, WeightRule rule) {
        this.priorityWeight = weight;
        this.weightRule = rule;
        return this;
    }

    public TaskSpecBuilder triggerRule(TriggerRule rule) {
        this.triggerRule = rule;
        return this;
    }

    public TaskSpecBuilder dependsOnPast() {
        this.dependsOnPast = true;
        return this;
    }

    /** Airflow's {@code ignore_first_depends_on_past} (true unless set otherwise). */
    public TaskSpecBuilder ignoreFirstDependsOnPast(boolean ignore) {
        this.ignoreFirstDependsOnPast = ignore;
        return this;
    }

    /** Airflow's {@code wait_for_downstream}, which implies {@code depends_on_past}. */
    public TaskSpecBuilder waitForDownstream() {
        this.dependsOnPast = true;
        this.waitForDownstream = true;
        return this;
    }

    /** Maps the task (Airflow's {@code expand}): argument to list, mapping or XCom reference. */
    public TaskSpecBuilder expand(Map<String, Object> expand) {
        this.expand = expand;
        return this;
    }

    /** Airflow's task {@code sla}. */
    public TaskSpecBuilder sla(Duration sla) {
        this.sla = sla;
        return this;
    }

    public TaskSpec build() {
        return new TaskSpec(
                taskId,
                operator,
                args,
                upstream,
                retries,
                retryDelay,
                retryExponentialBackoff,
                maxRetryDelay,
                null,
                TaskSpec.DEFAULT_POOL,
                1,
                priorityWeight,
                weightRule,
                triggerRule,
                null,
                dependsOnPast,
                null,
                expand,
                line,
                ignoreFirstDependsOnPast,
                waitForDownstream,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                sla);
    }
}
