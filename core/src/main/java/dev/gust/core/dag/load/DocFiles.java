package dev.gust.core.dag.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the documentation file a DAG names with dag-factory's {@code doc_md_file_path}. dag-factory
 * takes an absolute path; a DAG folder moves between machines (a laptop, a container, an ECS
 * worker), so Gust takes a path relative to the DAG file's folder, and only a file inside the DAG
 * folder (links resolved), so that a DAG file cannot show {@code /etc/passwd} or the encryption key
 * in the UI. A folder of null means the file is parsed on its own (no DAG folder), where no
 * documentation file can be read.
 */
final class DocFiles {

    /** As the DAG files themselves: documentation is text, not a data dump. */
    static final long MAX_BYTES = 1024 * 1024;

    private final Path folder;
    private final String dagFile;

    /**
     * @param folder the DAG folder, or null
     * @param dagFile the DAG file's path relative to it
     */
    DocFiles(Path folder, String dagFile) {
        this.folder = folder;
        this.dagFile = dagFile;
    }

    /** The file's text; an {@link InvalidValue} saying what to fix when it cannot be read. */
    String read(String path) {
        if (folder == null) {
            throw new InvalidValue("'" + path + "' cannot be read: this file was parsed outside a DAG folder");
        }
        Path relative;
        try {
            relative = Path.of(path);
        } catch (InvalidPathException e) {
            throw new InvalidValue("'" + path + "' is not a valid path");
        }
        if (relative.isAbsolute()) {
            throw new InvalidValue("'" + path + "' must be relative to the DAG file's folder (e.g. docs/my_dag.md),"
                    + " not absolute, so that it is found wherever the DAG folder is");
        }
        Path file;
        try {
            Path root = folder.toRealPath();
            Path base = root.resolve(dagFile).getParent();
            Path normalized = base.resolve(relative).normalize();
            file = normalized.startsWith(root) ? normalized.toRealPath() : normalized;
            if (!file.startsWith(root)) {
                // written with ../ past the folder, or a link inside it that points outside
                throw new InvalidValue(
                        "'" + path + "' is outside the DAG folder; put the documentation file inside it");
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidValue("'" + path + "' is not a file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidValue("'" + path + "' is larger than " + MAX_BYTES + " bytes; shorten it");
            }
        } catch (NoSuchFileException e) {
            throw new InvalidValue(
                    "'" + path + "' does not exist (the path is relative to the folder of " + dagFile + ")");
        } catch (IOException e) {
            throw new InvalidValue("'" + path + "' cannot be read: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidValue("'" + path + "' is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidValue("'" + path + "' cannot be read: " + e.getMessage());
        }
    }
}
