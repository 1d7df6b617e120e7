package dev.gust.core.state;

/**
 * A writer tried to move a task instance between two states that {@link TaskStateMachine} does
 * not connect. This is a bug in the writer (or a stale read), never a user error, so it carries
 * both states and the legal targets to make the log line enough to find it.
 */
public final class IllegalTransitionException extends IllegalStateException {

    private final TaskState from;
    private final TaskState to;

    public IllegalTransitionException(TaskState from, TaskState to, String message) {
        super(message);
        this.from = from;
        this.to = to;
    }

    public TaskState from() {
        return from;
    }

    public TaskState to() {
        return to;
    }
}
