package dev.gust.bench.evidence;

import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the metadata database and the {@link ExecutionLog} say after processes were killed: the
 * self-healing promise is that every list here is empty once the workload has finished. The chaos
 * benchmark counts them; the crash tests assert them. Each entry names the task instance and try
 * ({@code dag/run/task try N}).
 *
 * @param notSucceeded task instances not in success (lost)
 * @param inFlight task instances still in a state that is not final
 * @param executedTwice tries that executed more than once
 * @param successNeverRan successful task instances whose final try never executed
 * @param unknownTries executions of a try the database does not know (beyond the final one)
 */
public record Evidence(
        int taskInstances,
        List<String> notSucceeded,
        List<String> inFlight,
        List<String> executedTwice,
        List<String> successNeverRan,
        List<String> unknownTries) {

    private static final Set<String> IN_FLIGHT =
            Set.of("none", "scheduled", "queued", "running", "restarting", "up_for_retry");

    /** Reads the task instances and compares them with the executions. */
    public static Evidence gather(Jdbc jdbc, List<Execution> executions) {
        record Row(String dagId, String runId, String taskId, int tryNumber, String state) {}
        List<Row> rows = jdbc.query(
                "SELECT dag_id, run_id, task_id, try_number, state FROM task_instance ORDER BY dag_id, run_id, task_id",
                Params.none(),
                r -> new Row(
                        r.getString("dag_id"),
                        r.getString("run_id"),
                        r.getString("task_id"),
                        r.getInt("try_number"),
                        r.getString("state")));
        Map<String, Integer> perTry = new HashMap<>();
        Map<String, Integer> lastTry = new HashMap<>();
        for (Row row : rows) {
            lastTry.put(row.dagId() + "/" + row.runId() + "/" + row.taskId(), row.tryNumber());
        }
        List<String> unknown = new ArrayList<>();
        for (Execution execution : executions) {
            perTry.merge(execution.tryKey(), 1, Integer::sum);
            Integer last = lastTry.get(execution.dagId() + "/" + execution.runId() + "/" + execution.taskId());
            if (last == null || execution.tryNumber() > last || execution.tryNumber() < 1) {
                unknown.add(execution.tryKey());
            }
        }
        List<String> notSucceeded = new ArrayList<>();
        List<String> inFlight = new ArrayList<>();
        List<String> neverRan = new ArrayList<>();
        for (Row row : rows) {
            String key = tryKey(row.dagId(), row.runId(), row.taskId(), row.tryNumber());
            if (!row.state().equals("success")) {
                notSucceeded.add(key + " " + row.state());
            } else if (!perTry.containsKey(key)) {
                neverRan.add(key);
            }
            if (IN_FLIGHT.contains(row.state())) {
                inFlight.add(key + " " + row.state());
            }
        }
        List<String> twice = perTry.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue())
                .sorted()
                .toList();
        return new Evidence(rows.size(), notSucceeded, inFlight, twice, neverRan, unknown);
    }

    static String tryKey(String dagId, String runId, String taskId, int tryNumber) {
        return dagId + "/" + runId + "/" + taskId + " try " + tryNumber;
    }
}
