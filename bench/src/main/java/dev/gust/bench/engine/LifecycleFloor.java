package dev.gust.bench.engine;

import dev.gust.bench.BenchmarkException;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The second yardstick beside pgbench: what PostgreSQL alone allows for the row changes an
 * {@code empty} task instance's life makes in Gust's own tables, with no scheduler at all. Each
 * task instance is created, scheduled, queued, claimed (the trigger that keeps its try row fires),
 * and finished with its log's tail in one chunk: five statements, each its own transaction, for a
 * batch of {@link #BATCH} task instances (about what Gust's rounds, claims and grouped ends batch
 * under load), from {@link #CLIENTS} JDBC connections for {@link #DURATION}. It works in a DAG and
 * run of its own, deleted afterwards. The engine's rate over this one says how much of what the
 * database allows for this work the scheduler gets; over pgbench's, how heavy a task instance's
 * life is next to pgbench's one-row update.
 */
final class LifecycleFloor {

    static final int CLIENTS = 8;
    static final int BATCH = 25;
    static final Duration DURATION = Duration.ofSeconds(10);

    private static final String DAG_ID = "gust_bench_lifecycle_floor";
    private static final String RUN_ID = "floor";

    /** Task instances per second and how they were measured. */
    record Result(double taskInstancesPerSecond, String how) {}

    private final DataSource dataSource;
    private final Duration duration;

    LifecycleFloor(DataSource dataSource, Duration duration) {
        this.dataSource = dataSource;
        this.duration = duration;
    }

    Result run() throws InterruptedException {
        try {
            createRun();
            LongAdder finished = new LongAdder();
            long deadline = System.nanoTime() + duration.toNanos();
            JdbcClients.run(
                    CLIENTS, "the task instance life cycle loop", client -> lifecycles(client, deadline, finished));
            return new Result(
                    finished.sum() / (double) duration.toSeconds(),
                    "an empty task instance's five writes in Gust's tables, " + BATCH + " task instances a statement, "
                            + CLIENTS + " connections, " + duration.toSeconds() + " s, no scheduler");
        } catch (SQLException e) {
            throw new BenchmarkException("the task instance life cycle loop failed: " + e.getMessage());
        } finally {
            deleteRun();
        }
    }

    private void lifecycles(int client, long deadline, LongAdder finished) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement create = connection.prepareStatement("""
                        INSERT INTO task_instance (dag_id, run_id, task_id, map_index, max_tries, pool, pool_slots,
                                                   priority_weight, operator)
                        SELECT ?, ?, unnest(?::text[]), -1, 0, 'default_pool', 1, 1, 'empty'""");
                PreparedStatement schedule = connection.prepareStatement(moveSql(""));
                PreparedStatement queue = connection.prepareStatement(moveSql(", queued_at = now()"));
                PreparedStatement claim = connection.prepareStatement(moveSql(", try_number = try_number + 1,"
                        + " hostname = 'bench', pid = 1, start_date = now(), last_heartbeat_at = now()"));
                PreparedStatement finish = connection.prepareStatement("WITH finished AS ("
                        + moveSql(", end_date = now(), duration = 0.001") + " RETURNING task_id, try_number)"
                        + " INSERT INTO task_log_chunk (dag_id, run_id, task_id, map_index, try_number, chunk_no,"
                        + " content) SELECT ?, ?, task_id, -1, try_number, 0, ? FROM finished")) {
            connection.setAutoCommit(true);
            for (long batch = 0; System.nanoTime() - deadline < 0; batch++) {
                String[] taskIds = new String[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    taskIds[i] = "c" + client + "_" + batch + "_" + i;
                }
                Array ids = connection.createArrayOf("text", taskIds);
                create.setString(1, DAG_ID);
                create.setString(2, RUN_ID);
                create.setArray(3, ids);
                create.executeUpdate();
                bind(schedule, ids, TaskState.NONE, TaskState.SCHEDULED).executeUpdate();
                bind(queue, ids, TaskState.SCHEDULED, TaskState.QUEUED).executeUpdate();
                bind(claim, ids, TaskState.QUEUED, TaskState.RUNNING).executeUpdate();
                bind(finish, ids, TaskState.RUNNING, TaskState.SUCCESS);
                finish.setString(6, DAG_ID);
                finish.setString(7, RUN_ID);
                finish.setString(8, "Starting try 1\nMarking task as SUCCESS.\n");
                if (finish.executeUpdate() != BATCH) {
                    throw new BenchmarkException("a batch did not finish all its task instances");
                }
                finished.add(BATCH);
            }
        }
    }

    /** One state change of a batch: {@code SET state = ? <more>} where still in the state before. */
    private static String moveSql(String moreAssignments) {
        return "UPDATE task_instance SET state = ?, updated_at = now()" + moreAssignments
                + " WHERE dag_id = ? AND run_id = ? AND task_id = ANY(?) AND map_index = -1 AND state = ?";
    }

    /** Binds a {@link #moveSql} statement's first five parameters. */
    private static PreparedStatement bind(PreparedStatement statement, Array ids, TaskState from, TaskState to)
            throws SQLException {
        statement.setString(1, to.dbName());
        statement.setString(2, DAG_ID);
        statement.setString(3, RUN_ID);
        statement.setArray(4, ids);
        statement.setString(5, from.dbName());
        return statement;
    }

    private void createRun() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement dag = connection.prepareStatement("""
                        INSERT INTO dag (dag_id, fileloc, serialized_dag, version_hash)
                        VALUES (?, 'bench', '{}', 'bench')""");
                PreparedStatement run = connection.prepareStatement("""
                        INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type, start_date)
                        VALUES (?, ?, now(), ?, 'manual', now())""")) {
            dag.setString(1, DAG_ID);
            dag.executeUpdate();
            run.setString(1, DAG_ID);
            run.setString(2, RUN_ID);
            run.setString(3, DagRunState.RUNNING.dbName());
            run.executeUpdate();
        }
    }

    private void deleteRun() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement runs = connection.prepareStatement("DELETE FROM dag_run WHERE dag_id = ?");
                PreparedStatement dag = connection.prepareStatement("DELETE FROM dag WHERE dag_id = ?")) {
            runs.setString(1, DAG_ID);
            runs.executeUpdate();
            dag.setString(1, DAG_ID);
            dag.executeUpdate();
        } catch (SQLException e) {
            // a throwaway database: leftover rows go with it
        }
    }
}
