package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The workload of the crash tests and what they check afterwards: a DAG of chains and fan-outs of
 * bash tasks, each of which appends its execution (DAG, task, run, try, pid) to a file; the test
 * loads the file into a table beside the task instances, so that "every run finished, every task
 * instance succeeded exactly once, no try executed twice, nothing left in flight" are plain SQL.
 */
final class CrashWorkload {

    private final Jdbc jdbc;
    private final Path executionsFile;
    private final String dagId;
    private final int runs;
    private final String context;
    private int taskCount;

    /**
     * @param context printed with every failure (a random seed, say), so that a failure can be replayed
     */
    CrashWorkload(Jdbc jdbc, Path home, String dagId, int runs, String context) {
        this.jdbc = jdbc;
        this.executionsFile = home.resolve("executions.log");
        this.dagId = dagId;
        this.runs = runs;
        this.context = context;
        jdbc.update("CREATE TABLE crash_execution (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " dag_id text NOT NULL, task_id text NOT NULL, run_id text NOT NULL, try_number integer NOT NULL,"
                + " pid integer NOT NULL, recorded_at timestamptz NOT NULL DEFAULT clock_timestamp())", Params.none());
    }

    String dagId() {
        return dagId;
    }

    int runs() {
        return runs;
    }

    /**
     * Writes the DAG into {@code dags}: chains and fan-outs of bash tasks that record each
     * execution, then sleep a little; {@code retries} per task, one second apart.
     */
    void writeDag(Path dags, int retries) throws IOException {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("start", List.of());
        String previous = "start";
        for (int i = 1; i <= 6; i++) {
            tasks.put("chain_a" + i, List.of(previous));
            previous = "chain_a" + i;
        }
        List<String> fan = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            tasks.put("fan_b" + i, List.of("start"));
            fan.add("fan_b" + i);
        }
        tasks.put("join_b", fan);
        previous = "join_b";
        for (int i = 1; i <= 5; i++) {
            tasks.put("chain_c" + i, List.of(previous));
            previous = "chain_c" + i;
        }
        List<String> end = new ArrayList<>(List.of("chain_c5"));
        for (int i = 1; i <= 5; i++) {
            tasks.put("fan_d" + i, List.of("chain_a6"));
            end.add("fan_d" + i);
        }
        tasks.put("end", end);
        taskCount = tasks.size();

        StringBuilder yaml = new StringBuilder();
        yaml.append(dagId).append(":\n")
                .append("  schedule: null\n")
                .append("  default_args:\n")
                .append("    start_date: 2024-01-01\n")
                .append("    retries: ").append(retries).append("\n")
                .append("    retry_delay: 1s\n")
                .append("  tasks:\n");
        int index = 0;
        for (var task : tasks.entrySet()) {
            String sleep = "0." + (3 + index++ % 8);
            yaml.append("    ").append(task.getKey()).append(":\n")
                    .append("      operator: bash\n")
                    .append("      bash_command: |-\n")
                    .append("        echo \"{{ dag.dag_id }} {{ ti.task_id }} {{ run_id }} {{ ti.try_number }} $$\" >> ")
                    .append(executionsFile).append(" && sleep ").append(sleep).append("\n");
            if (!task.getValue().isEmpty()) {
                yaml.append("      dependencies: [").append(String.join(", ", task.getValue())).append("]\n");
            }
        }
        Files.writeString(dags.resolve(dagId + ".yaml"), yaml.toString());
    }

    /** Executions recorded so far (loads the file first). */
    int executions() {
        loadExecutions();
        return jdbc.queryOne("SELECT count(*) FROM crash_execution", Params.none(), r -> r.getInt(1)).orElse(0);
    }

    int runningIn(long pid) {
        return jdbc.queryOne("SELECT count(*) FROM task_instance WHERE state = 'running' AND pid = :pid",
                Params.of("pid", (int) pid), r -> r.getInt(1)).orElse(0);
    }

    int finishedRuns() {
        return jdbc.queryOne("SELECT count(*) FROM dag_run WHERE state IN ('success', 'failed')", Params.none(),
                r -> r.getInt(1)).orElse(0);
    }

    void awaitAllRunsFinished(Duration deadline, GustProcess live) throws Exception {
        Instant start = Instant.now();
        awaitOrFail("every run finished", deadline, () -> finishedRuns() == runs, live);
        System.out.printf("all %d runs finished %d ms after the last disruption%n", runs,
                Duration.between(start, Instant.now()).toMillis());
    }

    /**
     * Every run succeeded, every task instance succeeded exactly once (its final try executed, no
     * try executed twice, no execution the database does not know of), nothing left in flight.
     */
    void assertDoneExactlyOnce() {
        assertThat(jdbc.query("SELECT run_id || ' ' || state FROM dag_run", Params.none(), r -> r.getString(1)))
                .hasSize(runs).allSatisfy(run -> assertThat(run).endsWith(" success"));
        assertThat(jdbc.queryOne("SELECT count(*) FROM task_instance WHERE state = 'success'", Params.none(), r -> r.getInt(1)))
                .as(taskStates()).hasValue(runs * taskCount);
        assertThat(jdbc.query("SELECT run_id || '/' || task_id || ' ' || state FROM task_instance"
                + " WHERE state IN ('none', 'scheduled', 'queued', 'running', 'restarting', 'up_for_retry')", Params.none(), r -> r.getString(1)))
                .as("nothing left in flight").isEmpty();

        loadExecutions();
        List<String> twice = jdbc.query("SELECT run_id || '/' || task_id || ' try ' || try_number || ' x' || count(*)"
                + " FROM crash_execution GROUP BY run_id, task_id, try_number HAVING count(*) > 1", Params.none(), r -> r.getString(1));
        assertThat(twice).as("no try of a task instance executed twice").isEmpty();

        List<String> finalTryMissing = jdbc.query("SELECT ti.run_id || '/' || ti.task_id || ' try ' || ti.try_number"
                + " FROM task_instance ti WHERE NOT EXISTS (SELECT 1 FROM crash_execution e WHERE e.dag_id = ti.dag_id"
                + " AND e.run_id = ti.run_id AND e.task_id = ti.task_id AND e.try_number = ti.try_number)", Params.none(), r -> r.getString(1));
        assertThat(finalTryMissing).as("the successful try of every task instance executed").isEmpty();

        List<String> beyondFinal = jdbc.query("SELECT e.run_id || '/' || e.task_id || ' try ' || e.try_number"
                + " FROM crash_execution e JOIN task_instance ti USING (dag_id, run_id, task_id)"
                + " WHERE e.try_number > ti.try_number OR e.try_number < 1", Params.none(), r -> r.getString(1));
        assertThat(beyondFinal).as("no execution with a try number the database does not know").isEmpty();

        System.out.printf("%d executions recorded for %d task instances; retried task instances: %s%n", executions(), runs * taskCount,
                jdbc.query("SELECT run_id || '/' || task_id || ' tries ' || try_number FROM task_instance WHERE try_number > 1",
                        Params.none(), r -> r.getString(1)));
        System.out.println("why earlier tries ended: " + jdbc.query("""
                SELECT DISTINCT substring(content from '(?:Task failed|Detected as a zombie|The scheduler is shutting down)[^\n]{0,40}')
                       AS reason
                  FROM task_log_chunk c JOIN task_instance ti USING (dag_id, run_id, task_id, map_index)
                 WHERE c.try_number < ti.try_number""", Params.none(), r -> String.valueOf(r.getString(1))));
    }

    /**
     * Copies the executions the tasks appended to their file (one small append is atomic, even
     * from orphaned tasks) into the crash_execution table.
     */
    private void loadExecutions() {
        List<String> lines;
        try {
            lines = Files.exists(executionsFile) ? Files.readAllLines(executionsFile) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jdbc.inTransaction(tx -> {
            tx.update("DELETE FROM crash_execution", Params.none());
            for (String line : lines) {
                String[] f = line.trim().split(" ");
                if (f.length == 5) {
                    tx.update("INSERT INTO crash_execution (dag_id, task_id, run_id, try_number, pid)"
                            + " VALUES (:dag, :task, :run, :try, :pid)", Params.of("dag", f[0]).and("task", f[1])
                            .and("run", f[2]).and("try", Integer.parseInt(f[3])).and("pid", Integer.parseInt(f[4])));
                }
            }
            return null;
        });
    }

    String taskStates() {
        Map<String, List<String>> byState = new HashMap<>();
        jdbc.query("SELECT state, run_id || '/' || task_id || ' try ' || try_number FROM task_instance ORDER BY 2", Params.none(),
                r -> byState.computeIfAbsent(r.getString(1), s -> new ArrayList<>()).add(r.getString(2)));
        return byState.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue().size() + "): " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** Polls until {@code condition} holds; fails if {@code live} dies or the deadline passes. */
    void awaitOrFail(String what, Duration deadline, BooleanSupplier condition, GustProcess live) throws Exception {
        Instant end = Instant.now().plus(deadline);
        while (!condition.getAsBoolean()) {
            if (!live.process().isAlive()) {
                throw new AssertionError("waiting until " + what + ": the process died\n" + live.output());
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + deadline.toSeconds() + "s: " + what + " (" + context + ")\n"
                        + "task instances by state:\n" + taskStates() + "\n" + live.output());
            }
            Thread.sleep(200);
        }
    }

    static boolean started(GustProcess scheduler) {
        try {
            return scheduler.stdout().contains("gust: scheduler running");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
