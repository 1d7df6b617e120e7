package dev.gust.bench.dagloading;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScan;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code gust bench dag-loading}: DAG folder loading on generated, realistic files (bash tasks
 * chained with a fan-out, cron schedules, default_args): a cold scan of the whole folder, a warm
 * re-scan after one file changed, then the sync into a throwaway PostgreSQL, first of every DAG
 * and then of nothing changed. Never used by tests with timing assertions.
 */
public record DagLoadingBenchmark(BenchContext context, DagLoadingBenchmark.Settings settings) implements Runnable {

    /** The options of {@code gust bench dag-loading}. */
    public record Settings(int files, int tasks) {}

    /** What one scan measured. */
    public record Scan(int files, int dags, int tasks, int importErrors, long coldMillis, long warmMillis) {

        @Override
        public String toString() {
            return String.format(
                    "files=%d dags=%d tasks=%d importErrors=%d cold=%d ms warm=%d ms",
                    files, dags, tasks, importErrors, coldMillis, warmMillis);
        }
    }

    private static final String[] CRONS = {
        "0 * * * *", "*/15 * * * *", "30 2 * * *", "0 6 * * 1-5", "@daily", "0 0 1 * *", "45 23 * * 0"
    };

    @Override
    public void run() {
        PrintWriter out = context.out();
        try (Workspace workspace = Workspace.create()) {
            out.printf(
                    "generating %d DAG files of %d tasks in %s ...%n",
                    settings.files(), settings.tasks(), workspace.root());
            out.flush();
            Path scanFolder = workspace.root().resolve("scan");
            Scan scan = scan(scanFolder, settings.files(), settings.tasks());

            out.println("starting a throwaway embedded PostgreSQL ...");
            out.flush();
            GustConfig config = workspace.config(scanFolder, Map.of());
            long firstSync;
            long secondSync;
            DagFolderSync.SyncOutcome outcome;
            try (ThrowawayDatabase database = workspace.open(context, config);
                    DagFolderSync sync = database.dagFolderSync()) {
                long start = System.nanoTime();
                outcome = sync.sync();
                firstSync = (System.nanoTime() - start) / 1_000_000;
                start = System.nanoTime();
                sync.sync();
                secondSync = (System.nanoTime() - start) / 1_000_000;
            }
            Figures table = new Figures("measure", "value");
            table.add("files", String.valueOf(scan.files()));
            table.add("DAGs / tasks loaded", scan.dags() + " / " + scan.tasks());
            table.add("import errors", String.valueOf(scan.importErrors()));
            table.add("cold scan (parse + validate, ms)", String.valueOf(scan.coldMillis()));
            table.add("re-scan, one file changed (ms)", String.valueOf(scan.warmMillis()));
            table.add(
                    "first sync into PostgreSQL, all DAGs written (ms)",
                    firstSync + " (" + outcome.dagsWritten() + " written)");
            table.add("next sync, nothing changed (ms)", String.valueOf(secondSync));
            table.add("machine", Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version());
            context.printTable().accept(table);
        }
    }

    /** Writes {@code files} DAG files of {@code tasksPerDag} tasks into {@code folder} and scans it. */
    public static Scan scan(Path folder, int files, int tasksPerDag) {
        generate(folder, files, tasksPerDag);
        try (DagFolderScanner scanner = new DagFolderScanner(folder)) {
            long start = System.nanoTime();
            DagFolderScan cold = scanner.scan();
            long coldMillis = (System.nanoTime() - start) / 1_000_000;

            Path changed = folder.resolve(fileName(files / 2));
            write(changed, dagYaml(files / 2, tasksPerDag).replace("echo step", "echo changed step"));
            start = System.nanoTime();
            DagFolderScan warm = scanner.scan();
            long warmMillis = (System.nanoTime() - start) / 1_000_000;
            if (warm.changedFiles().size() != 1) {
                throw new IllegalStateException("expected one changed file, got " + warm.changedFiles());
            }
            int errors =
                    cold.importErrors().values().stream().mapToInt(List::size).sum();
            return new Scan(files, cold.dags().size(), cold.taskCount(), errors, coldMillis, warmMillis);
        }
    }

    /** Writes {@code files} generated DAG files of {@code tasksPerDag} tasks each into {@code folder}. */
    public static void generate(Path folder, int files, int tasksPerDag) {
        generate(folder, 0, files, tasksPerDag);
    }

    /** Writes the generated DAG files numbered {@code from} (inclusive) to {@code to} (exclusive). */
    public static void generate(Path folder, int from, int to, int tasksPerDag) {
        for (int i = from; i < to; i++) {
            write(folder.resolve(fileName(i)), dagYaml(i, tasksPerDag));
        }
    }

    /** The generated file of DAG {@code generated_dag_<i>}, relative to the folder. */
    public static String fileName(int i) {
        return "team_" + (i % 10) + "/generated_dag_" + i + ".yaml";
    }

    /** A DAG whose first half is a chain and whose second half fans out from the chain's end. */
    public static String dagYaml(int i, int tasksPerDag) {
        StringBuilder yaml = new StringBuilder(4096);
        yaml.append("generated_dag_")
                .append(i)
                .append(":\n")
                .append("  description: Generated ETL number ")
                .append(i)
                .append('\n')
                .append("  schedule: '")
                .append(CRONS[i % CRONS.length])
                .append("'\n")
                .append("  catchup: false\n")
                .append("  max_active_runs: 1\n")
                .append("  tags: [generated, team_")
                .append(i % 10)
                .append("]\n")
                .append("  default_args:\n")
                .append("    owner: team_")
                .append(i % 10)
                .append('\n')
                .append("    start_date: 2024-01-01\n")
                .append("    retries: 2\n")
                .append("    retry_delay: 5m\n")
                .append("  tasks:\n");
        int chain = Math.max(1, tasksPerDag / 2);
        for (int t = 0; t < tasksPerDag; t++) {
            yaml.append("    task_")
                    .append(t)
                    .append(":\n")
                    .append("      operator: bash\n")
                    .append("      bash_command: \"echo step ")
                    .append(t)
                    .append(" of {{ ds }}\"\n");
            if (t > 0) {
                int upstream = t < chain ? t - 1 : chain - 1;
                yaml.append("      dependencies: [task_").append(upstream).append("]\n");
            }
            if (t % 5 == 4) {
                yaml.append("      execution_timeout: timedelta(minutes=30)\n")
                        .append("      trigger_rule: all_done\n");
            }
        }
        return yaml.toString();
    }

    private static void write(Path path, String content) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
            // make the change visible even on file systems with coarse timestamps
            Files.setLastModifiedTime(path, FileTime.from(Instant.now().plusSeconds(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
