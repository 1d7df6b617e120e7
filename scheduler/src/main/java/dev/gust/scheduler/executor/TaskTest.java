package dev.gust.scheduler.executor;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.schedule.RunIds;
import dev.gust.core.schedule.Timetable;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Database;
import dev.gust.core.store.Stores;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.template.SecretMasker;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code gust tasks test}: runs one task of a DAG (as the caller read it: the DAG file as it is
 * now, or the stored copy) in this process, ignoring its dependencies,
 * and prints its log and XComs to the terminal; no task instance, log or XCom is recorded in
 * the database (Variables and Connections are read from it), though what the task itself does to
 * the database happens: a {@code trigger_dagrun} task creates the run it triggers, as in Airflow.
 * The fast loop for writing a task.
 */
public final class TaskTest {

    private TaskTest() {}

    public static OperatorOutcome run(
            GustConfig config,
            Database database,
            Dag dag,
            String taskId,
            Instant logicalDate,
            Map<String, Object> conf,
            PrintWriter out) {
        return run(config, database, dag, taskId, -1, logicalDate, conf, out);
    }

    /**
     * As above, as instance {@code mapIndex} of a mapped task (-1 for an unmapped one). The test
     * run has no upstream XComs, so only a task mapped over literals can be tested this way.
     */
    public static OperatorOutcome run(
            GustConfig config,
            Database database,
            Dag dag,
            String taskId,
            int mapIndex,
            Instant logicalDate,
            Map<String, Object> conf,
            PrintWriter out) {
        WorkerContext context = WorkerContext.of(
                config, Stores.open(database.jdbc(), config), Clock.systemUTC(), "localhost", GustMetrics.off());
        String dagId = dag.dagId();
        TaskSpec task = dag.task(taskId)
                .orElseThrow(() -> new IllegalArgumentException("DAG '" + dagId + "' has no task '" + taskId
                        + "'; its tasks are "
                        + String.join(
                                ", ", dag.tasks().stream().map(TaskSpec::taskId).toList())));
        if (task.expand() != null && mapIndex < 0) {
            throw new IllegalArgumentException("task '" + taskId + "' of DAG '" + dagId
                    + "' is mapped (expand); name the instance to test with --map-index N (0 for the first)");
        }
        DataInterval interval = Timetable.of(dag).forManualRun(logicalDate);
        String confJson;
        try {
            confJson = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(conf);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("conf is not JSON: " + e.getMessage(), e);
        }
        String runId = RunIds.manual(logicalDate);
        DagRun run = new DagRun(
                0,
                dagId,
                runId,
                logicalDate,
                interval.start(),
                interval.end(),
                DagRunState.RUNNING,
                "manual",
                confJson,
                true,
                logicalDate,
                Instant.now(),
                null,
                null,
                null);
        TaskInstance ti = new TaskInstance(
                new TaskInstanceKey(dagId, runId, taskId, mapIndex),
                TaskState.RUNNING,
                1,
                task.retries(),
                "localhost",
                (int) ProcessHandle.current().pid(),
                null,
                null,
                null,
                task.pool(),
                task.poolSlots(),
                task.priorityWeight(),
                task.operator(),
                null,
                Instant.now(),
                null,
                null,
                null,
                Instant.now(),
                null,
                null);
        TaskRunServices services = TaskRunServices.of(context);
        SecretMasker masker = services.newMasker();
        OperatorOutcome outcome = new TaskRunner(services)
                .execute(
                        dag,
                        task,
                        run,
                        ti,
                        line -> {
                            out.println(masker.mask(line));
                            out.flush();
                        },
                        masker,
                        (key, json) -> out.println("XCom " + key + " = " + json),
                        name -> out.println("rendered map index: " + name),
                        fieldsJson -> {},
                        events -> events.forEach(e -> out.println(
                                "dataset event through alias " + e.alias() + ": " + e.uri() + " " + e.extraJson())),
                        new TryStop());
        out.println("outcome: " + outcome);
        out.flush();
        return outcome;
    }
}
