package dev.gust.core.dag.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

/**
 * Measures DAG folder loading on generated, realistic files (bash tasks chained with a fan-out,
 * cron schedules, default_args): a cold scan of the whole folder, then a warm re-scan after one
 * file changed. Used by {@code gust bench} and by {@link #main} for a quick run by hand; never by
 * tests with timing assertions.
 */
public final class DagLoadingBenchmark {

    /** What one run measured. */
    public record Figures(int files, int dags, int tasks, int importErrors, long coldMillis, long warmMillis) {

        @Override
        public String toString() {
            return String.format("files=%d dags=%d tasks=%d importErrors=%d cold=%d ms warm=%d ms",
                    files, dags, tasks, importErrors, coldMillis, warmMillis);
        }
    }

    private static final String[] CRONS = {"0 * * * *", "*/15 * * * *", "30 2 * * *", "0 6 * * 1-5", "@daily",
        "0 0 1 * *", "45 23 * * 0"};

    private DagLoadingBenchmark() {
    }

    /** Writes {@code files} DAG files of {@code tasksPerDag} tasks into {@code folder} and scans it. */
    public static Figures run(Path folder, int files, int tasksPerDag) {
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
            int errors = cold.importErrors().values().stream().mapToInt(List::size).sum();
            return new Figures(files, cold.dags().size(), cold.taskCount(), errors, coldMillis, warmMillis);
        }
    }

    /** Writes {@code files} generated DAG files of {@code tasksPerDag} tasks each into {@code folder}. */
    public static void generate(Path folder, int files, int tasksPerDag) {
        for (int i = 0; i < files; i++) {
            write(folder.resolve(fileName(i)), dagYaml(i, tasksPerDag));
        }
    }

    private static String fileName(int i) {
        return "team_" + (i % 10) + "/generated_dag_" + i + ".yaml";
    }

    /** A DAG whose first half is a chain and whose second half fans out from the chain's end. */
    static String dagYaml(int i, int tasksPerDag) {
        StringBuilder yaml = new StringBuilder(4096);
        yaml.append("generated_dag_").append(i).append(":\n")
                .append("  description: Generated ETL number ").append(i).append('\n')
                .append("  schedule: '").append(CRONS[i % CRONS.length]).append("'\n")
                .append("  catchup: false\n")
                .append("  max_active_runs: 1\n")
                .append("  tags: [generated, team_").append(i % 10).append("]\n")
                .append("  default_args:\n")
                .append("    owner: team_").append(i % 10).append('\n')
                .append("    start_date: 2024-01-01\n")
                .append("    retries: 2\n")
                .append("    retry_delay: 5m\n")
                .append("  tasks:\n");
        int chain = Math.max(1, tasksPerDag / 2);
        for (int t = 0; t < tasksPerDag; t++) {
            yaml.append("    task_").append(t).append(":\n")
                    .append("      operator: bash\n")
                    .append("      bash_command: \"echo step ").append(t).append(" of {{ ds }}\"\n");
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
