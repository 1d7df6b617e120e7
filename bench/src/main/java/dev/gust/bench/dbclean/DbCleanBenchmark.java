package dev.gust.bench.dbclean;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.cleanup.CleanedTable;
import dev.gust.core.store.cleanup.CleanedTables;
import dev.gust.core.store.cleanup.CleanupProgress;
import dev.gust.core.store.cleanup.CleanupRequest;
import dev.gust.core.store.cleanup.MetadataCleanup;
import dev.gust.core.store.cleanup.TableCleanup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code gust bench db-clean}: {@code gust db clean} on a generated history of a million task
 * instances (50 DAGs, hourly runs of 10 tasks, a log line per task, an XCom for one task in ten, an
 * audit row per run), 80% of it older than the cut-off, while a writer does what a scheduler does
 * (a new run and its task instances, then their state changes, in one short transaction, again and
 * again). It prints the clean's rows per second and batch times, and the writer's transaction
 * times before and during the clean: the difference is the most the clean made the scheduler wait.
 * Never used by tests with timing assertions.
 */
public record DbCleanBenchmark(BenchContext context, DbCleanBenchmark.Settings settings) implements Runnable {

    /** The options of {@code gust bench db-clean}. */
    public record Settings(int taskInstances, int batchSize, boolean skipArchive) {}

    private static final int DAGS = 50;
    private static final int TASKS_PER_RUN = 10;

    @Override
    public void run() {
        PrintWriter out = context.out();
        try (Workspace workspace = Workspace.create()) {
            Path dags = Files.createDirectories(workspace.root().resolve("dags"));
            GustConfig config = workspace.config(dags, Map.of());
            out.println("starting a throwaway embedded PostgreSQL ...");
            out.flush();
            try (ThrowawayDatabase database = workspace.open(context, config)) {
                Jdbc jdbc = database.jdbc();
                int runsPerDag = Math.max(2, settings.taskInstances() / TASKS_PER_RUN / DAGS);
                Instant t0 = Instant.now().minus(Duration.ofHours(runsPerDag + 1));
                Instant before = t0.plus(Duration.ofHours(runsPerDag * 8L / 10));
                out.printf(
                        "generating %,d runs of %d tasks (%,d task instances, their logs and XComs) ...%n",
                        (long) runsPerDag * DAGS, TASKS_PER_RUN, (long) runsPerDag * DAGS * TASKS_PER_RUN);
                out.flush();
                long generating = System.nanoTime();
                generate(jdbc, t0, runsPerDag);
                long generateMillis = (System.nanoTime() - generating) / 1_000_000;
                long generatedRows = totalRows(jdbc);

                Writer writer = new Writer(jdbc);
                out.println("measuring the writer alone for 5 s ...");
                out.flush();
                List<Long> alone = writer.runFor(Duration.ofSeconds(5));

                MetadataCleanup cleanup = new MetadataCleanup(jdbc);
                List<CleanedTable> tables = CleanedTables.all();
                Map<String, Long> counts = new java.util.LinkedHashMap<>();
                long counting = System.nanoTime();
                for (CleanedTable table : tables) {
                    counts.put(table.name(), cleanup.count(table, before));
                }
                long countMillis = (System.nanoTime() - counting) / 1_000_000;
                out.println("cleaning while the writer writes ...");
                out.flush();
                BatchTimes batches = new BatchTimes();
                AtomicBoolean cleaning = new AtomicBoolean(true);
                CompletableFuture<List<Long>> during = CompletableFuture.supplyAsync(() -> writer.runWhile(cleaning));
                long cleanStart = System.nanoTime();
                List<TableCleanup> outcomes;
                try {
                    outcomes = cleanup.clean(
                            new CleanupRequest(
                                    before,
                                    tables,
                                    settings.skipArchive(),
                                    settings.batchSize(),
                                    CleanupRequest.DEFAULT_LOCK_TIMEOUT,
                                    Instant.now()),
                            batches);
                } finally {
                    cleaning.set(false);
                }
                long cleanMillis = (System.nanoTime() - cleanStart) / 1_000_000;
                List<Long> writes = during.join();

                long deleted =
                        outcomes.stream().mapToLong(TableCleanup::deleted).sum();
                Figures figures = new Figures("measure", "value");
                figures.add(
                        "generated (task instances / rows in all)",
                        String.format(
                                "%,d / %,d in %,d ms",
                                (long) runsPerDag * DAGS * TASKS_PER_RUN, generatedRows, generateMillis));
                figures.add("dry run: counting every table (ms)", String.format("%,d", countMillis));
                for (TableCleanup outcome : outcomes) {
                    figures.add(
                            "purged from " + outcome.table(),
                            String.format(
                                    "%,d of %,d old in %,d batches, %,d ms (%,d rows/s)",
                                    outcome.deleted(),
                                    counts.get(outcome.table()),
                                    outcome.batches(),
                                    outcome.took().toMillis(),
                                    rate(outcome.deleted(), outcome.took().toMillis())));
                }
                figures.add(
                        "clean in all" + (settings.skipArchive() ? " (--skip-archive)" : " (archived)"),
                        String.format(
                                "%,d rows in %,d ms: %,d rows/s", deleted, cleanMillis, rate(deleted, cleanMillis)));
                figures.add(
                        "batch of " + settings.batchSize() + " (ms): p50 / p95 / max", percentiles(batches.millis()));
                figures.add("writer alone: transactions, p50 / p99 / max (ms)", writerFigures(alone));
                figures.add("writer during the clean: transactions, p50 / p99 / max (ms)", writerFigures(writes));
                figures.add("machine", Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version());
                context.printTable().accept(figures);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void generate(Jdbc jdbc, Instant t0, int runsPerDag) {
        Params params = Params.of("t0", t0).and("runs", runsPerDag);
        jdbc.update("""
                INSERT INTO dag (dag_id, fileloc, serialized_dag, version_hash, is_paused)
                SELECT 'bench_' || d, '/dags/bench_' || d || '.yaml', '{}', 'h', false FROM generate_series(1, 50) d""", Params.none());
        jdbc.update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state,
                                     run_type, queued_at, start_date, end_date)
                SELECT 'bench_' || d, 'scheduled__' || to_char(:t0 + i * interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS'),
                       :t0 + i * interval '1 hour', :t0 + i * interval '1 hour', :t0 + (i + 1) * interval '1 hour',
                       CASE WHEN i % 20 = 7 THEN 'failed' ELSE 'success' END, 'scheduled',
                       :t0 + (i + 1) * interval '1 hour', :t0 + (i + 1) * interval '1 hour' + interval '1 second',
                       :t0 + (i + 1) * interval '1 hour' + interval '5 minutes'
                  FROM generate_series(1, 50) d, generate_series(0, :runs - 1) i""", params);
        jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, hostname, pid,
                                           pool, priority_weight, operator, queued_at, start_date, end_date, duration,
                                           first_try_started_at, executor)
                SELECT r.dag_id, r.run_id, 'task_' || n, 'success', 1, 2, 'scheduler-1', 4242 + n, 'default_pool',
                       1, 'bash', r.start_date + n * interval '20 seconds',
                       r.start_date + n * interval '20 seconds' + interval '1 second',
                       r.start_date + n * interval '20 seconds' + interval '15 seconds', 14.0,
                       r.start_date + n * interval '20 seconds' + interval '1 second', 'local'
                  FROM dag_run r CROSS JOIN generate_series(1, 10) n""", Params.none());
        jdbc.update("""
                INSERT INTO task_log_chunk (dag_id, run_id, task_id, map_index, try_number, chunk_no, content, created_at)
                SELECT dag_id, run_id, task_id, map_index, 1, 0,
                       '[' || start_date || '] INFO - Running command: echo step ' || task_id
                       || E'\\n[' || end_date || '] INFO - Command exited with return code 0', end_date
                  FROM task_instance""", Params.none());
        jdbc.update("""
                INSERT INTO xcom (dag_id, run_id, task_id, map_index, key, value, created_at)
                SELECT dag_id, run_id, task_id, map_index, 'return_value', to_jsonb('rows loaded: 1234'::text), end_date
                  FROM task_instance WHERE task_id = 'task_10'""", Params.none());
        jdbc.update("""
                INSERT INTO log (dttm, dag_id, run_id, event, owner)
                SELECT start_date, dag_id, run_id, 'dag_run_success', 'scheduler' FROM dag_run""", Params.none());
        jdbc.update("ANALYZE", Params.none());
    }

    private static long totalRows(Jdbc jdbc) {
        return jdbc.queryOne("""
                        SELECT (SELECT count(*) FROM dag_run) + (SELECT count(*) FROM task_instance)
                             + (SELECT count(*) FROM task_log_chunk) + (SELECT count(*) FROM xcom)
                             + (SELECT count(*) FROM log) AS n""", Params.none(), row -> row.getLong("n")).orElseThrow();
    }

    /** What a scheduler writes for a new run, in one transaction, timed; never waits more than 10 s for a lock. */
    private static final class Writer {
        private final Jdbc jdbc;
        private int n;

        Writer(Jdbc jdbc) {
            this.jdbc = jdbc;
        }

        List<Long> runFor(Duration duration) {
            AtomicBoolean going = new AtomicBoolean(true);
            CompletableFuture.delayedExecutor(duration.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(() -> going.set(false));
            return runWhile(going);
        }

        List<Long> runWhile(AtomicBoolean going) {
            List<Long> micros = new ArrayList<>();
            while (going.get()) {
                long start = System.nanoTime();
                writeOnce();
                micros.add((System.nanoTime() - start) / 1_000);
            }
            return micros;
        }

        private void writeOnce() {
            String runId = "live__" + (++n);
            Params params = Params.of("runId", runId).and("n", (double) n);
            jdbc.inTransaction(tx -> {
                tx.update("SET LOCAL lock_timeout = '10s'", Params.none());
                tx.update("""
                        INSERT INTO dag_run (dag_id, run_id, logical_date, state, run_type, start_date)
                        VALUES ('bench_1', :runId, now() + make_interval(secs => :n), 'running', 'scheduled', now())""", params);
                tx.update("""
                        INSERT INTO task_instance (dag_id, run_id, task_id, state)
                        SELECT 'bench_1', :runId, 'task_' || t, 'scheduled' FROM generate_series(1, 10) t""", params);
                tx.update("""
                        UPDATE task_instance SET state = 'queued', queued_at = now(), updated_at = now()
                         WHERE dag_id = 'bench_1' AND run_id = :runId AND state = 'scheduled'""", params);
                tx.update("UPDATE dag_run SET updated_at = now() WHERE dag_id = 'bench_1' AND run_id = :runId", params);
                return null;
            });
        }
    }

    /** The duration of every batch, from the clean's progress. */
    private static final class BatchTimes implements CleanupProgress {
        private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void tableStarted(CleanedTable table, long candidates, String archive) {}

        @Override
        public void batchDone(CleanedTable table, int number, int rows, long deletedSoFar, Duration took) {
            millis.add(took.toMillis());
        }

        @Override
        public void lockWaitGaveUp(CleanedTable table, int attempt) {}

        List<Long> millis() {
            return millis;
        }
    }

    private static long rate(long rows, long millis) {
        return millis == 0 ? rows : rows * 1000 / millis;
    }

    private static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Long> sorted = values.stream().sorted().toList();
        return percentile(sorted, 50) + " / " + percentile(sorted, 95) + " / " + sorted.getLast();
    }

    private static String writerFigures(List<Long> micros) {
        if (micros.isEmpty()) {
            return "none";
        }
        List<Long> sorted = micros.stream().sorted().toList();
        return String.format(
                "%,d, %.1f / %.1f / %.1f",
                sorted.size(),
                percentile(sorted, 50) / 1000.0,
                percentile(sorted, 99) / 1000.0,
                sorted.getLast() / 1000.0);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
