package dev.gust.core.dag.sync;

import java.nio.file.Files;
import java.nio.file.Path;

/** The configured DAG folder is not there; nothing was written. */
public final class DagFolderMissingException extends RuntimeException {
    public DagFolderMissingException(String message) {
        super(message);
    }

    /**
     * Throws unless {@code folder} is a directory: a folder that is not there is an error, never
     * "no DAGs", so that a missing mount neither deactivates every DAG nor passes a CI check.
     */
    public static void requireFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new DagFolderMissingException("the DAG folder " + folder.toAbsolutePath()
                    + " does not exist; create it or set core.dags_folder (GUST_CORE__DAGS_FOLDER)");
        }
    }
}
