package dev.gust.scheduler.operators.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Gust's Python side, shipped as resources of this package: the task runner script and the small
 * {@code airflow} compatibility package. It is extracted once into a folder named by the hash of
 * its content (so a new Gust version never runs an old copy) and put first on the task's
 * {@code sys.path}.
 */
final class PythonRuntimeFiles {

    static final String RUNNER = "gust_task_runner.py";

    private static final String RESOURCE_ROOT = "runtime/";
    private static final List<String> FILES = List.of(
            RUNNER,
            PythonForkServer.SCRIPT,
            "_gust_channel.py",
            "airflow/__init__.py",
            "airflow/exceptions.py",
            "airflow/datasets/__init__.py",
            "airflow/models/__init__.py",
            "airflow/models/variable.py",
            "airflow/models/connection.py",
            "airflow/hooks/__init__.py",
            "airflow/hooks/base.py",
            "airflow/operators/__init__.py",
            "airflow/operators/python.py",
            "airflow/sdk/__init__.py",
            "airflow/sensors/__init__.py",
            "airflow/sensors/base.py");

    private static final Map<String, byte[]> CONTENT = load();
    private static final String VERSION = hash(CONTENT);
    private static final Map<Path, Path> EXTRACTED = new ConcurrentHashMap<>();

    private PythonRuntimeFiles() {}

    /** The folder holding the runtime under {@code cacheDir}, extracted there if it is not yet. */
    static Path extractedUnder(Path cacheDir) {
        return EXTRACTED.computeIfAbsent(cacheDir.toAbsolutePath(), PythonRuntimeFiles::extract);
    }

    private static Path extract(Path cacheDir) {
        Path target = cacheDir.resolve("runtime-" + VERSION);
        if (Files.isRegularFile(target.resolve(RUNNER))) {
            return target;
        }
        try {
            Files.createDirectories(cacheDir);
            // Written aside and moved into place whole, so that a concurrent runner never sees half of it.
            Path staging = Files.createTempDirectory(cacheDir, "runtime-staging-");
            for (Map.Entry<String, byte[]> file : CONTENT.entrySet()) {
                Path path = staging.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                deleteTree(staging);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write Gust's Python runtime under " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> content = new LinkedHashMap<>();
        for (String file : FILES) {
            try (InputStream in = PythonRuntimeFiles.class.getResourceAsStream(RESOURCE_ROOT + file)) {
                if (in == null) {
                    throw new IllegalStateException("Gust's Python runtime file " + file + " is missing from the jar");
                }
                content.put(file, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return content;
    }

    private static String hash(Map<String, byte[]> content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            content.forEach((name, bytes) -> {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update(bytes);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
