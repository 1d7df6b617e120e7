package dev.gust.webserver.dags;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a DAG's file for the web server (the UI's Code tab, the API's {@code dagSources}), only
 * from inside the DAG folder: real paths are compared, so a DAG file that is a link to
 * {@code /etc/passwd} or to the encryption key (or lies in a linked folder outside) is never
 * shown. Empty when the file is not readable here: a web server may run where the DAG folder is
 * not.
 */
public final class DagSourceFile {

    /** Files larger than this are not shown. */
    public static final long MAX_BYTES = 1_000_000;

    private DagSourceFile() {}

    public static Optional<String> read(Path dagsFolder, String fileloc) {
        try {
            Path folder = dagsFolder.toRealPath();
            Path file = folder.resolve(fileloc).toRealPath();
            if (!file.startsWith(folder) || !Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
