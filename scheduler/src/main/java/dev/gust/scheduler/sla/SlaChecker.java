package dev.gust.scheduler.sla;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DeadlineAlert;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Stores;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.sla.SlaMiss;
import dev.gust.core.store.sla.SlaMissRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SLA and deadline misses and asks for their callbacks, as any live scheduler does every
 * few seconds: a task of a scheduled run that had not succeeded by its run's data interval end
 * plus its {@code sla} (Airflow 2's rule; manual and dataset-triggered runs have no SLA), and a
 * run not finished by one of its DAG's Airflow 3 deadlines. Each miss is a row inserted once
 * ({@link SlaMissRepository}); in the same transaction the DAG's {@code sla_miss_callback} is
 * requested once per DAG for the batch of new misses (with Airflow's {@code task_list},
 * {@code blocking_task_list}, {@code slas} and {@code blocking_tis}), and each missed deadline's
 * callbacks once, so that the callback runner delivers them exactly once like any other callback.
 */
public final class SlaChecker {

    private static final Logger log = LoggerFactory.getLogger(SlaChecker.class);

    /** How long after a run finished it is still looked at (a scheduler down longer misses late finishes). */
    static final Duration LOOKBACK = Duration.ofHours(1);

    private final Stores stores;
    private final DagDefinitions definitions;
    private final Clock clock;

    public SlaChecker(Stores stores, DagDefinitions definitions, Clock clock) {
        this.stores = stores;
        this.definitions = definitions;
        this.clock = clock;
    }

    /** What one check recorded. */
    public record Result(List<SlaMiss> misses, int callbacksRequested) {}

    /** Records the misses there are now and requests their callbacks; returns the new ones. */
    public Result check() {
        List<String> dagIds =
                stores.dags().listActive().stream().map(StoredDag::dagId).toList();
        Map<String, Dag> dags = new LinkedHashMap<>();
        definitions.current(dagIds).forEach((dagId, loaded) -> {
            if (loaded.dag().hasSlas()) {
                dags.put(dagId, loaded.dag());
            }
        });
        if (dags.isEmpty()) {
            return new Result(List.of(), 0);
        }
        List<SlaMissRepository.TaskSla> slas = new ArrayList<>();
        List<SlaMissRepository.Deadline> deadlines = new ArrayList<>();
        for (Dag dag : dags.values()) {
            for (TaskSpec task : dag.tasks()) {
                if (task.sla() != null) {
                    slas.add(new SlaMissRepository.TaskSla(dag.dagId(), task.taskId(), task.sla()));
                }
            }
            for (int i = 0; i < dag.deadlines().size(); i++) {
                DeadlineAlert alert = dag.deadlines().get(i);
                deadlines.add(new SlaMissRepository.Deadline(
                        dag.dagId(), i, alert.reference().name(), alert.fixedAt(), alert.interval()));
            }
        }
        Instant now = clock.instant();
        Result result = stores.inTransaction(tx -> {
            List<SlaMiss> taskMisses = tx.slaMisses().recordTaskMisses(slas, now, LOOKBACK);
            List<SlaMiss> deadlineMisses = tx.slaMisses().recordDeadlineMisses(deadlines, now, LOOKBACK);
            int requested =
                    requestSlaCallbacks(tx, dags, taskMisses) + requestDeadlineCallbacks(tx, dags, deadlineMisses);
            List<SlaMiss> all = new ArrayList<>(taskMisses);
            all.addAll(deadlineMisses);
            return new Result(all, requested);
        });
        for (SlaMiss miss : result.misses()) {
            log.info(
                    "DAG {} run {} {}: {}",
                    miss.dagId(),
                    miss.runId(),
                    miss.isDeadline() ? "deadline " + miss.alert() : "task " + miss.taskId(),
                    miss.description());
        }
        return result;
    }

    /** One {@code sla_miss_callback} request per DAG with new misses, anchored on the newest missed run. */
    private int requestSlaCallbacks(Stores tx, Map<String, Dag> dags, List<SlaMiss> misses) {
        int requested = 0;
        Map<String, List<SlaMiss>> byDag =
                misses.stream().collect(Collectors.groupingBy(SlaMiss::dagId, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<SlaMiss>> entry : byDag.entrySet()) {
            List<CallbackSpec> specs = dags.get(entry.getKey()).callbacksFor(CallbackEvent.SLA_MISS);
            if (specs.isEmpty()) {
                continue;
            }
            List<SlaMiss> batch = entry.getValue();
            SlaMiss newest = batch.stream()
                    .max(Comparator.comparing(SlaMiss::executionDate))
                    .orElseThrow();
            requested += tx.callbackRequests()
                    .request(
                            entry.getKey(),
                            newest.runId(),
                            null,
                            -1,
                            null,
                            CallbackEvent.SLA_MISS,
                            specs,
                            slaContext(tx, batch));
            tx.slaMisses().markNotified(batch);
        }
        return requested;
    }

    /**
     * What Airflow hands an {@code sla_miss_callback}: the missed tasks as text ({@code task_list}),
     * the unfinished task instances of those runs ({@code blocking_task_list}, {@code blocking_tis})
     * and the misses themselves ({@code slas}).
     */
    private static Map<String, Object> slaContext(Stores tx, List<SlaMiss> batch) {
        List<Map<String, Object>> slas = new ArrayList<>();
        List<String> taskList = new ArrayList<>();
        Set<String> runs = new LinkedHashSet<>();
        for (SlaMiss miss : batch) {
            Map<String, Object> sla = new LinkedHashMap<>();
            sla.put("dag_id", miss.dagId());
            sla.put("task_id", miss.taskId());
            sla.put("run_id", miss.runId());
            sla.put("execution_date", miss.executionDate().toString());
            sla.put("expected_by", miss.expectedBy().toString());
            sla.put("timestamp", miss.timestamp().toString());
            sla.put("description", miss.description());
            slas.add(sla);
            taskList.add(miss.taskId() + " on " + miss.executionDate());
            runs.add(miss.runId());
        }
        List<Map<String, Object>> blocking = new ArrayList<>();
        List<String> blockingList = new ArrayList<>();
        String dagId = batch.getFirst().dagId();
        for (String runId : runs) {
            for (TaskInstance ti : tx.taskInstances().listForRun(dagId, runId)) {
                if (ti.state() == TaskState.SUCCESS || ti.state() == TaskState.SKIPPED) {
                    continue;
                }
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("dag_id", dagId);
                one.put("task_id", ti.taskId());
                one.put("run_id", runId);
                one.put("map_index", ti.key().mapIndex());
                one.put("state", ti.state().dbName());
                blocking.add(one);
                blockingList.add(ti.taskId() + " on " + runId);
            }
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("reason", "sla_miss");
        context.put("task_list", String.join("\n", taskList));
        context.put("blocking_task_list", String.join("\n", blockingList));
        context.put("slas", slas);
        context.put("blocking_tis", blocking);
        return context;
    }

    /** Each missed deadline's callbacks, on the run that missed it, with Airflow's {@code deadline} context. */
    private static int requestDeadlineCallbacks(Stores tx, Map<String, Dag> dags, List<SlaMiss> misses) {
        int requested = 0;
        for (SlaMiss miss : misses) {
            List<DeadlineAlert> alerts = dags.get(miss.dagId()).deadlines();
            if (miss.alert() >= alerts.size()
                    || alerts.get(miss.alert()).callbacks().isEmpty()) {
                continue;
            }
            DeadlineAlert alert = alerts.get(miss.alert());
            Map<String, Object> deadline = new LinkedHashMap<>();
            deadline.put("deadline_time", miss.expectedBy().toString());
            deadline.put("reference", alert.reference().name());
            deadline.put("interval", alert.interval().toString());
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("reason", "deadline_missed");
            context.put("deadline", deadline);
            requested += tx.callbackRequests()
                    .request(
                            miss.dagId(),
                            miss.runId(),
                            null,
                            -1,
                            null,
                            CallbackEvent.DEADLINE,
                            alert.callbacks(),
                            context);
            tx.slaMisses().markNotified(List.of(miss));
        }
        return requested;
    }
}
