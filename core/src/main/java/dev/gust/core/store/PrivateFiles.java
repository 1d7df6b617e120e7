package dev.gust.core.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the account running Gust may read: {@code core.home} (the embedded database, its
 * password, the encryption key, the PostgreSQL log) is mode 700 and what Gust writes there 600,
 * so that another local account can neither read the secrets nor learn the database's port. On a
 * file system without POSIX permissions these calls leave the modes alone.
 */
public final class PrivateFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) if needed, and makes it mode 700. */
    public static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        restrict(dir);
        return dir;
    }

    /**
     * Gust's home folder: mode 700, and each entry directly in it 700 (folders) or 600 (files),
     * which also tightens folders and logs written by earlier versions. Deeper entries are left
     * alone: the folder's own mode already keeps other accounts out, and PostgreSQL keeps its
     * data directory private itself.
     */
    public static void home(Path home) throws IOException {
        directory(home);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(home)) {
            for (Path entry : entries) {
                restrict(entry);
            }
        }
    }

    /** Creates an empty file of mode 600 if it does not exist, and makes an existing one 600. */
    public static Path file(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, fileAttributes());
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it first; tightened below
            }
        }
        restrict(file);
        return file;
    }

    /** Replaces {@code file} with {@code content} atomically; the file is never readable by others. */
    public static void write(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(
                file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp", fileAttributes());
        try {
            Files.writeString(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Mode 700 for a directory, 600 for a file; symbolic links are not followed. */
    public static void restrict(Path path) throws IOException {
        if (!posix(path) || Files.isSymbolicLink(path)) {
            return;
        }
        Files.setPosixFilePermissions(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY : FILE);
    }

    static FileAttribute<?>[] fileAttributes() {
        return posixSupported()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static boolean posixSupported() {
        return java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews()
                .contains("posix");
    }
}
