package dev.gust.scheduler.operators;

/**
 * An operator argument has a value the operator cannot use (after rendering, so it could not be
 * checked when the DAG file loaded). The message names the argument and the form it must take.
 */
public final class InvalidArgumentException extends RuntimeException {

    public InvalidArgumentException(String message) {
        super(message);
    }
}
