package dev.gust.core.store.datasets;

/** Who produced a dataset event: a task instance's try (all set), or someone outside (all null, map index -1). */
public record EventSource(String dagId, String runId, String taskId, int mapIndex) {

    public static final EventSource EXTERNAL = new EventSource(null, null, null, -1);
}
