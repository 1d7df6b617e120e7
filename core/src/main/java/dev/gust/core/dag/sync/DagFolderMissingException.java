package dev.gust.core.dag.sync;

/** The configured DAG folder is not there; nothing was written. */
public final class DagFolderMissingException extends RuntimeException {
    public DagFolderMissingException(String message) {
        super(message);
    }
}
