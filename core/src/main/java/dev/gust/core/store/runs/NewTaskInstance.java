package dev.gust.core.store.runs;

/** A task instance to create with a run, in state none. */
public record NewTaskInstance(
        String taskId, int mapIndex, int maxTries, String pool, int poolSlots, int priorityWeight, String operator) {}
