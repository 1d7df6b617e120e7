package dev.gust.bench;

import dev.gust.core.config.GustConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A benchmark's throwaway folder, deleted when closed, and its configuration: its own home, so
 * its own embedded PostgreSQL ({@link ThrowawayDatabase}), never the user's.
 */
public final class Workspace implements AutoCloseable {

    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    public static Workspace create() {
        try {
            return new Workspace(Files.createTempDirectory("gust-bench"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** The configuration of a benchmark: its own home under this folder, this DAG folder, and these settings. */
    public GustConfig config(Path dagsFolder, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("GUST_CORE__HOME", root.resolve("home").toString());
        env.put("GUST_CORE__DAGS_FOLDER", dagsFolder.toString());
        return GustConfig.load(null, env);
    }

    /** Opens the throwaway database of {@code config} the way the running command opens databases. */
    public ThrowawayDatabase open(BenchContext context, GustConfig config) {
        return new ThrowawayDatabase(config, context.openDatabase().apply(config));
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
