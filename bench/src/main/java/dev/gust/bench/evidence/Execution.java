package dev.gust.bench.evidence;

/** One line of an {@link ExecutionLog}: a try of a task instance that started, in which process, when. */
public record Execution(String dagId, String taskId, String runId, int tryNumber, long pid, long startedMillis) {

    /** The task instance and try, as {@link Evidence} names them: {@code dag/run/task try N}. */
    public String tryKey() {
        return Evidence.tryKey(dagId, runId, taskId, tryNumber);
    }
}
