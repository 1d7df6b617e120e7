package dev.gust.core.store.runs;

/** What identifies a task instance: the run, the task and the map index (-1 when not mapped). */
public record TaskInstanceKey(String dagId, String runId, String taskId, int mapIndex) {

    public static TaskInstanceKey of(String dagId, String runId, String taskId) {
        return new TaskInstanceKey(dagId, runId, taskId, -1);
    }

    @Override
    public String toString() {
        return dagId + "." + taskId + (mapIndex >= 0 ? "[" + mapIndex + "]" : "") + " of " + runId;
    }
}
