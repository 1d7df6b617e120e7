package dev.gust.core.dag.load;

/**
 * A problem that kept (part of) a DAG file from loading: the file relative to the DAG folder,
 * the 1-based line it was found on, and a message meant for the person who wrote the file.
 */
public record ImportError(String file, int line, String message) {

    /** The usual one-line form, {@code file:line: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
