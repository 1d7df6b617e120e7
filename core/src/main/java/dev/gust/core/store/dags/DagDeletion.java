package dev.gust.core.store.dags;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;

/**
 * Deletes a DAG's metadata as Airflow's {@code delete_dag} does: the {@code dag} row, and through
 * the schema's cascades its runs, task instances and their tries, XComs and logs, warnings and
 * dataset references. The audit log is kept. A DAG with a task instance in flight is left alone:
 * the DAG row is locked first, so no run or task instance of it starts between the check and the
 * delete.
 */
public final class DagDeletion {

    /** What became of the request. */
    public enum Outcome {
        DELETED,
        NOT_FOUND,
        /** A task instance of the DAG is queued or running; nothing was deleted. */
        RUNNING
    }

    private final Jdbc jdbc;

    public DagDeletion(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Outcome delete(String dagId) {
        return jdbc.inTransaction(tx -> {
            Params params = Params.of("dagId", dagId);
            if (tx.queryOne("SELECT dag_id FROM dag WHERE dag_id = :dagId FOR UPDATE", params, row -> true)
                    .isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            boolean running = tx.queryOne(
                            "SELECT 1 AS one FROM task_instance WHERE dag_id = :dagId AND state = ANY (:inFlight) LIMIT 1",
                            params.and("inFlight", TaskState.IN_FLIGHT),
                            row -> true)
                    .isPresent();
            if (running) {
                return Outcome.RUNNING;
            }
            tx.update("DELETE FROM dag WHERE dag_id = :dagId", params);
            return Outcome.DELETED;
        });
    }
}
