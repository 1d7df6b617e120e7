package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.bench.evidence.Evidence;
import dev.gust.bench.evidence.ExecutionLog;
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
 * bash tasks, each of which records its execution in an {@link ExecutionLog}; bench's
 * {@link Evidence} (which {@code gust bench chaos} counts too) compares it with the task
 * instances, so that "every run finished, every task instance succeeded exactly once, no try
 * executed twice, nothing left in flight" are one check shared by the crash tests and the chaos
 * benchmark.
 */
final class CrashWorkload {

    private final Jdbc jdbc;
    private final ExecutionLog executionLog;
    private final String dagId;
    private final int runs;
    private final String context;
    private int taskCount;

    /**
     * @param context printed with every failure (a random seed, say), so that a failure can be replayed
     */
    CrashWorkload(Jdbc jdbc, Path home, String dagId, int runs, String context) {
        this.jdbc = jdbc;
        this.executionLog = new ExecutionLog(home.resolve("executions.log"));
        this.dagId = dagId;
        this.runs = runs;
        this.context = context;
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
        yaml.append(dagId)
                .append(":\n")
                .append("  schedule: null\n")
                .append("  default_args:\n")
                .append("    start_date: 2024-01-01\n")
                .append("    retries: ")
                .append(retries)
                .append("\n")
                .append("    retry_delay: 1s\n")
                .append("  tasks:\n");
        int index = 0;
        for (var task : tasks.entrySet()) {
            String sleep = "0." + (3 + index++ % 8);
            yaml.append("    ")
                    .append(task.getKey())
                    .append(":\n")
                    .append("      operator: bash\n")
                    .append("      bash_command: |-\n")
                    .append("        ")
                    .append(executionLog.recordCommand())
                    .append(" && sleep ")
                    .append(sleep)
                    .append("\n");
            if (!task.getValue().isEmpty()) {
                yaml.append("      dependencies: [")
                        .append(String.join(", ", task.getValue()))
                        .append("]\n");
            }
        }
        Files.writeString(dags.resolve(dagId + ".yaml"), yaml.toString());
    }

    /** Executions recorded so far. */
    int executions() {
        return executionLog.read().size();
    }

    /** Executions recorded so far, counted without the database or parsing. */
    int executionsInFile() {
        return executionLog.count();
    }

    int runningIn(long pid) {
        return jdbc.queryOne(
                        "SELECT count(*) FROM task_instance WHERE state = 'running' AND pid = :pid",
                        Params.of("pid", (int) pid),
                        r -> r.getInt(1))
                .orElse(0);
    }

    int finishedRuns() {
        return jdbc.queryOne(
                        "SELECT count(*) FROM dag_run WHERE state IN ('success', 'failed')",
                        Params.none(),
                        r -> r.getInt(1))
                .orElse(0);
    }

    void awaitAllRunsFinished(Duration deadline, GustProcess live) throws Exception {
        Instant start = Instant.now();
        awaitOrFail("every run finished", deadline, () -> finishedRuns() == runs, live);
        System.out.printf(
                "all %d runs finished %d ms after the last disruption%n",
                runs, Duration.between(start, Instant.now()).toMillis());
    }

    /**
     * Every run succeeded, every task instance succeeded exactly once (its final try executed, no
     * try executed twice, no execution the database does not know of), nothing left in flight.
     */
    void assertDoneExactlyOnce() {
        assertThat(jdbc.query("SELECT run_id || ' ' || state FROM dag_run", Params.none(), r -> r.getString(1)))
                .hasSize(runs)
                .allSatisfy(run -> assertThat(run).endsWith(" success"));
        assertThat(jdbc.queryOne(
                        "SELECT count(*) FROM task_instance WHERE state = 'success'", Params.none(), r -> r.getInt(1)))
                .as(taskStates())
                .hasValue(runs * taskCount);
        Evidence evidence = Evidence.gather(jdbc, executionLog.read());
        assertThat(evidence.inFlight()).as("nothing left in flight").isEmpty();
        assertThat(evidence.executedTwice())
                .as("no try of a task instance executed twice")
                .isEmpty();
        assertThat(evidence.successNeverRan())
                .as("the successful try of every task instance executed")
                .isEmpty();
        assertThat(evidence.unknownTries())
                .as("no execution with a try number the database does not know")
                .isEmpty();

        System.out.printf(
                "%d executions recorded for %d task instances; retried task instances: %s%n",
                executions(),
                runs * taskCount,
                jdbc.query(
                        "SELECT run_id || '/' || task_id || ' tries ' || try_number FROM task_instance WHERE try_number > 1",
                        Params.none(),
                        r -> r.getString(1)));
        System.out.println(
                "why earlier tries ended: " + jdbc.query("""
                SELECT DISTINCT substring(content from '(?:Task failed|Detected as a zombie|The scheduler is shutting down)[^\n]{0,40}')
                       AS reason
                  FROM task_log_chunk c JOIN task_instance ti USING (dag_id, run_id, task_id, map_index)
                 WHERE c.try_number < ti.try_number""", Params.none(), r -> String.valueOf(r.getString(1))));
    }

    String taskStates() {
        Map<String, List<String>> byState = new HashMap<>();
        jdbc.query(
                "SELECT state, run_id || '/' || task_id || ' try ' || try_number FROM task_instance ORDER BY 2",
                Params.none(),
                r -> byState.computeIfAbsent(r.getString(1), s -> new ArrayList<>())
                        .add(r.getString(2)));
        return byState.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().size() + "): " + e.getValue())
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
