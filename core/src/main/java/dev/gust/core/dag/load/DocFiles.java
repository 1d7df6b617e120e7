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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the documentation file a DAG names with dag-factory's {@code doc_md_file_path}. dag-factory
 * takes an absolute path; a DAG folder moves between machines (a laptop, a container, an ECS
 * worker), so Gust takes a path relative to the DAG file's folder, and only a file inside the DAG
 * folder (links resolved), so that a DAG file cannot show {@code /etc/passwd} or the encryption key
 * in the UI. A folder of null means the file is parsed on its own (no DAG folder), where no
 * documentation file can be read. It remembers each file it was asked for inside the folder, with
 * the hash of what it read (or that the file was missing), so that the folder scanner can parse the
 * DAG file again when only the documentation changes.
 */
final class DocFiles {

    /** As the DAG files themselves: documentation is text, not a data dump. */
    static final long MAX_BYTES = 1024 * 1024;

    /** The hash recorded for a side file that did not exist when the DAG file was parsed. */
    static final String ABSENT = "absent";

    private final Path folder;
    private final String dagFile;
    private final Map<Path, String> read = new LinkedHashMap<>();

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
        Path root;
        try {
            root = folder.toRealPath();
        } catch (IOException e) {
            throw new InvalidValue("'" + path + "' cannot be read: " + e.getMessage());
        }
        Path normalized = root.resolve(dagFile).getParent().resolve(relative).normalize();
        if (normalized.startsWith(root)) {
            // remembered whatever the checks below find: creating, fixing or editing the file reloads the DAG
            read.put(normalized, fingerprint(normalized));
        }
        Path file;
        try {
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
            byte[] bytes = Files.readAllBytes(file);
            // the hash of what was read, so that an edit made while parsing is still seen by the next scan
            read.put(normalized, sha256(bytes));
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidValue("'" + path + "' is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidValue("'" + path + "' cannot be read: " + e.getMessage());
        }
    }

    /** The files asked for inside the DAG folder, by absolute path, with their {@link #fingerprint}s. */
    Map<Path, String> sideFiles() {
        return Map.copyOf(read);
    }

    /**
     * What a side file holds now: the SHA-256 of its content, {@link #ABSENT}, or a marker for a
     * file that is not one, too large or unreadable (links followed, as when it is read).
     */
    static String fingerprint(Path path) {
        try {
            if (!Files.exists(path)) {
                return ABSENT;
            }
            if (!Files.isRegularFile(path)) {
                return "not-a-file";
            }
            long size = Files.size(path);
            return size > MAX_BYTES ? "too-large:" + size : sha256(Files.readAllBytes(path));
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
