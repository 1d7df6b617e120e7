package dev.gust.cli;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagLoadingBenchmark;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gust bench ...}: benchmarks that print a table. They run on throwaway folders and a
 * throwaway embedded PostgreSQL, never on the configured database.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {BenchCommand.DagLoading.class, EngineBenchmark.class, ApiBenchmark.class, UiBenchmark.class,
                ChaosBenchmark.class})
final class BenchCommand {

    @Command(name = "dag-loading", mixinStandardHelpOptions = true,
            description = "Generate DAG files, then time a cold scan, a re-scan with one file changed, and the sync into PostgreSQL.")
    static final class DagLoading implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--files", defaultValue = "1000", description = "DAG files to generate (default: ${DEFAULT-VALUE}).")
        int files;

        @Option(names = "--tasks", defaultValue = "20", description = "Tasks per DAG (default: ${DEFAULT-VALUE}).")
        int tasks;

        @Override
        public void run() {
            GustCommand.of(spec).config();
            PrintWriter out = spec.commandLine().getOut();
            Path work = createTempDirectory();
            try {
                out.printf("generating %d DAG files of %d tasks in %s ...%n", files, tasks, work);
                out.flush();
                Path scanFolder = work.resolve("scan");
                DagLoadingBenchmark.Figures scan = DagLoadingBenchmark.run(scanFolder, files, tasks);

                out.println("starting a throwaway embedded PostgreSQL ...");
                out.flush();
                GustConfig config = throwawayConfig(work, scanFolder, Map.of());
                long firstSync;
                long secondSync;
                DagFolderSync.SyncOutcome outcome;
                try (Database database = MetadataDatabase.open(config, spec.commandLine().getErr());
                     DagFolderSync sync = DagsCommand.DagFolderSyncs.create(config, database)) {
                    long start = System.nanoTime();
                    outcome = sync.sync();
                    firstSync = (System.nanoTime() - start) / 1_000_000;
                    start = System.nanoTime();
                    sync.sync();
                    secondSync = (System.nanoTime() - start) / 1_000_000;
                }
                Table table = new Table("measure", "value");
                table.add("files", String.valueOf(scan.files()));
                table.add("DAGs / tasks loaded", scan.dags() + " / " + scan.tasks());
                table.add("import errors", String.valueOf(scan.importErrors()));
                table.add("cold scan (parse + validate, ms)", String.valueOf(scan.coldMillis()));
                table.add("re-scan, one file changed (ms)", String.valueOf(scan.warmMillis()));
                table.add("first sync into PostgreSQL, all DAGs written (ms)", firstSync + " (" + outcome.dagsWritten() + " written)");
                table.add("next sync, nothing changed (ms)", String.valueOf(secondSync));
                table.add("machine", Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version());
                table.print(out, OutputFormat.table);
            } finally {
                deleteRecursively(work);
            }
        }
    }

    /**
     * The configuration of a benchmark: its own home (so its own embedded PostgreSQL) under
     * {@code work}, this DAG folder, and the benchmark's settings, never the user's.
     */
    static GustConfig throwawayConfig(Path work, Path dagsFolder, Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("GUST_CORE__HOME", work.resolve("home").toString());
        env.put("GUST_CORE__DAGS_FOLDER", dagsFolder.toString());
        return GustConfig.load(null, env);
    }

    static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("gust-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
