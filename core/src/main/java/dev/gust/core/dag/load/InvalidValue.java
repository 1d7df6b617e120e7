package dev.gust.core.dag.load;

/**
 * Thrown by the value parsers when a value in a DAG file has the wrong form; the caller knows
 * the line and turns it into an {@link ImportError}. It carries no stack trace because it is an
 * expected outcome of reading user input, and bad files must stay cheap to load.
 */
final class InvalidValue extends RuntimeException {

    InvalidValue(String message) {
        super(message, null, false, false);
    }
}
