package dev.gust.bench;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Database;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.dagwarnings.DagWarningRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.runs.DagRunRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A benchmark's throwaway folder, deleted when closed: its configuration (its own home, so its
 * own embedded PostgreSQL, never the user's), and the services a benchmark builds over its
 * database. This is the benchmarks' one wiring place.
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

    /** The sync of the configured DAG folder into the database, as the scheduler runs it. */
    public static DagFolderSync dagFolderSync(GustConfig config, Database database) {
        GustConfig.Core core = config.core();
        DagFolderScanner scanner = new DagFolderScanner(core.dagsFolder(),
                new DagFolderScanner.Settings(core.maxDagFileSizeBytes(), Runtime.getRuntime().availableProcessors()),
                new DagFileParser());
        return new DagFolderSync(scanner, new DagRepository(database.jdbc()), new ImportErrorRepository(database.jdbc()),
                new DagWarningRepository(database.jdbc()), core);
    }

    /** Creates runs as {@code gust dags trigger} does. */
    public static DagRunCreator dagRunCreator(GustConfig config, Database database) {
        return new DagRunCreator(new DagRunRepository(database.jdbc()),
                new DagDefinitions(new DagRepository(database.jdbc())), config.core().catchupByDefault(), Clock.systemUTC());
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
