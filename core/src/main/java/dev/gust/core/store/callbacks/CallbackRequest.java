package dev.gust.core.store.callbacks;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import java.time.Instant;
import java.util.Map;

/**
 * One callback to run for one event: of a task instance's try ({@code taskId} set) or of a DAG
 * run ({@code taskId} null), with the callback as declared when the event happened, the event's
 * {@code context} ({@code exception}, {@code reason}, {@code state}), and how far it got
 * ({@code state}: pending, running, success or failed; {@code error} says why it failed).
 */
public record CallbackRequest(
        long id,
        String dagId,
        String runId,
        String taskId,
        int mapIndex,
        Integer tryNumber,
        CallbackEvent event,
        CallbackSpec spec,
        Map<String, Object> context,
        String state,
        int attempts,
        String error,
        String output,
        Instant createdAt) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";

    /** Whether this is a DAG's callback (of a run) rather than a task's. */
    public boolean forDag() {
        return taskId == null;
    }
}
