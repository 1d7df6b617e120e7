package dev.gust.scheduler.executor;

import dev.gust.core.store.runs.TaskInstanceKey;

/** Lets tests in other packages compute the {@code startedBy} the ECS executor gives a try. */
public final class EcsExecutorTestAccess {

    private EcsExecutorTestAccess() {}

    public static String startedBy(TaskInstanceKey key, int tryNumber) {
        return EcsTaskLauncher.startedBy(key, tryNumber);
    }
}
