package dev.gust.webserver.api;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Test set-up: runs with their task instances, and states put in place as if the scheduler had moved them. */
final class ApiRunFixtures {

    private final ApiTestServer api;

    ApiRunFixtures(ApiTestServer api) {
        this.api = api;
    }

    Jdbc db() {
        return api.db.jdbc();
    }

    /** A manual run of {@code dagId} at {@code logicalDate} with a task instance (state none) per task. */
    String run(String dagId, String logicalDate) {
        var definitions = api.services.dagDefinitions();
        Dag dag = definitions.get(dagId).orElseThrow().dag();
        String runId = new DagRunCreator(new DagRunRepository(db()), definitions, false, Clock.systemUTC())
                .trigger(dagId, Map.of(), Instant.parse(logicalDate), null);
        new TaskInstanceRepository(db())
                .createForRun(
                        dagId,
                        runId,
                        dag.tasks().stream()
                                .map(t ->
                                        new NewTaskInstance(t.taskId(), -1, t.retries(), "default_pool", 1, 1, "bash"))
                                .toList());
        return runId;
    }

    void tiState(String dagId, String runId, String taskId, String state, int tryNumber) {
        db().update(
                        """
                UPDATE task_instance SET state = :state, try_number = :try, hostname = 'worker-1',
                       start_date = coalesce(start_date, now())
                 WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId""",
                        Params.of("state", state)
                                .and("try", tryNumber)
                                .and("dagId", dagId)
                                .and("runId", runId)
                                .and("taskId", taskId));
    }

    void runState(String dagId, String runId, String state) {
        db().update(
                        "UPDATE dag_run SET state = :state WHERE dag_id = :dagId AND run_id = :runId",
                        Params.of("state", state).and("dagId", dagId).and("runId", runId));
    }

    String tiStateOf(String dagId, String runId, String taskId) {
        return db().queryOne(
                        "SELECT state FROM task_instance WHERE dag_id = :dagId AND run_id = :runId AND task_id = :taskId",
                        Params.of("dagId", dagId).and("runId", runId).and("taskId", taskId),
                        row -> row.getString("state"))
                .orElseThrow();
    }

    long count(String sql, Params params) {
        return db().queryOne(sql, params, row -> row.getLong(1)).orElseThrow();
    }
}
