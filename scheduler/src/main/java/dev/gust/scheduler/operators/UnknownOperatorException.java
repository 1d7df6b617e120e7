package dev.gust.scheduler.operators;

/** A task names an operator that no implementation on this scheduler provides. */
public final class UnknownOperatorException extends RuntimeException {

    public UnknownOperatorException(String message) {
        super(message);
    }
}
