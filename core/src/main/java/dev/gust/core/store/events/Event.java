package dev.gust.core.store.events;

/**
 * Something a user or a component did, for the audit log: what happened ({@code event}, e.g.
 * "trigger", "pause", "clear"), to which DAG, task and run if any, by whom, and free-form details.
 */
public record Event(String event, String dagId, String taskId, String runId, String owner, String extra) {

    public static Event of(String event, String dagId, String owner) {
        return new Event(event, dagId, null, null, owner, null);
    }
}
