package dev.gust.core.dag.model;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a DAG as its file declares it, after {@code default_args} were applied: the
 * operator (by its Gust name) with its arguments, the upstream task ids, and the task settings
 * the scheduler acts on (retries, timeouts, pool, priority, trigger rule, dependencies on the
 * previous run). {@code expand} holds the dynamic task mapping as written (argument to list or
 * template), or null. {@code waitForDownstream} implies {@code dependsOnPast}, as in Airflow.
 * {@code doc} is the task's documentation ({@code doc_md} and the like), or null.
 * {@code taskId} is the id Airflow gives the task (with its groups' prefix, {@code group.task});
 * {@code taskGroupId} the id of the innermost {@link TaskGroup} it belongs to, or null.
 * {@code params} are the task's own params (its {@code default_args}' merged under them), which
 * Airflow merges over the DAG's ({@link Dag#paramsOf}); null when it has none, so that a DAG
 * without task params serializes as before. {@code outlets} are the datasets a success of the
 * task updates and {@code inlets} those it declares it reads (both null when none).
 * without task params serializes as before. {@code maxActiveTisPerDag} and {@code
 * maxActiveTisPerDagrun} are Airflow's limits on this task's instances running at once (across
 * all runs, within one run; a mapped task's instances count each), null when unset.
 * {@code callbacks} are its callbacks by event ({@code on_failure_callback} ...), null when none.
 * {@code mapIndexTemplate} is Airflow's {@code map_index_template}: a template each instance of
 * a mapped task renders when it runs, to name itself in the UI and the API; null when unset.
 * {@code outletAliases} are the names of Airflow's dataset aliases among its outlets, through which
 * its code adds events for datasets it only knows when it runs (null when none).
 * {@code sla} is Airflow 2's task SLA: how long after its scheduled run's data interval end the
 * task should have succeeded (null when none).
 */
public record TaskSpec(
        String taskId,
        String operator,
        Map<String, Object> args,
        List<String> upstream,
        int retries,
        Duration retryDelay,
        boolean retryExponentialBackoff,
        Duration maxRetryDelay,
        Duration executionTimeout,
        String pool,
        int poolSlots,
        int priorityWeight,
        WeightRule weightRule,
        TriggerRule triggerRule,
        String owner,
        boolean dependsOnPast,
        String onFailureCallback,
        Map<String, Object> expand,
        int line,
        boolean ignoreFirstDependsOnPast,
        boolean waitForDownstream,
        TaskDoc doc,
        String taskGroupId,
        Map<String, Object> params,
        List<String> outlets,
        List<String> inlets,
        Integer maxActiveTisPerDag,
        Integer maxActiveTisPerDagrun,
        Map<CallbackEvent, List<CallbackSpec>> callbacks,
        String mapIndexTemplate,
        List<String> outletAliases,
        Duration sla) {

    public static final String DEFAULT_POOL = "default_pool";
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(5);

    public TaskSpec {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(operator, "operator");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        upstream = List.copyOf(upstream);
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(weightRule, "weightRule");
        Objects.requireNonNull(triggerRule, "triggerRule");
        expand = expand == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(expand));
        // values may be null (a param without a default), which Map.copyOf refuses
        params = params == null || params.isEmpty() ? null : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        // null when none, so that DAGs without datasets serialize as before
        outlets = outlets == null || outlets.isEmpty() ? null : List.copyOf(outlets);
        inlets = inlets == null || inlets.isEmpty() ? null : List.copyOf(inlets);
        callbacks = CallbackLists.copy(callbacks);
        outletAliases = outletAliases == null || outletAliases.isEmpty() ? null : List.copyOf(outletAliases);
    }

    /**
     * A task no DAG file declares, with the defaults a YAML task without options gets: what a
     * callback's context shows as its task when the callback is not a task's.
     */
    public static TaskSpec synthetic(String taskId, String operator, Map<String, Object> args) {
        return new TaskSpecBuilder(taskId).operator(operator, args).build();
    }

    /** The callbacks of {@code event} (own or from default_args), in the order written; empty when none. */
    public List<CallbackSpec> callbacksFor(CallbackEvent event) {
        return callbacks == null ? List.of() : callbacks.getOrDefault(event, List.of());
    }

    /** The names of the dataset aliases among the task's outlets; empty when none. */
    public List<String> outletAliasNames() {
        return outletAliases == null ? List.of() : outletAliases;
    }

    /** The dataset URIs a success of this task updates (Airflow's {@code outlets}); empty when none. */
    public List<String> outletUris() {
        return outlets == null ? List.of() : outlets;
    }

    /** The dataset URIs this task declares it reads (Airflow's {@code inlets}), recorded only; empty when none. */
    public List<String> inletUris() {
        return inlets == null ? List.of() : inlets;
    }

    /**
     * One instance of this mapped task as it runs: {@code args} (its element laid over the fixed
     * arguments) and no {@code expand}.
     */
    public TaskSpec mappedInstance(Map<String, Object> args) {
        return new TaskSpec(
                taskId,
                operator,
                args,
                upstream,
                retries,
                retryDelay,
                retryExponentialBackoff,
                maxRetryDelay,
                executionTimeout,
                pool,
                poolSlots,
                priorityWeight,
                weightRule,
                triggerRule,
                owner,
                dependsOnPast,
                onFailureCallback,
                null,
                line,
                ignoreFirstDependsOnPast,
                waitForDownstream,
                doc,
                taskGroupId,
                params,
                outlets,
                inlets,
                maxActiveTisPerDag,
                maxActiveTisPerDagrun,
                callbacks,
                mapIndexTemplate,
                outletAliases,
                sla);
    }
}
