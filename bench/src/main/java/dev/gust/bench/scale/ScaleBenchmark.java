package dev.gust.bench.scale;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.bench.dagloading.DagLoadingBenchmark;
import dev.gust.bench.web.BenchUser;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScan;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Params;
import dev.gust.scheduler.loop.SchedulingLoop;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.WebServices;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gust bench scale}: Gust at ten thousand DAGs, on a throwaway embedded PostgreSQL. It grows
 * a folder of generated DAG files to a tenth, half and all of {@code --dags}, syncing each step
 * into the database, and at each size times the scheduling round over the same number of running
 * runs (so the curve shows whether a round's cost follows the active work or the number of DAGs);
 * then a cold parse of the whole folder and the re-sync after one file changed; then, with
 * {@code --history-task-instances} of history bulk-inserted in SQL, the server time of
 * {@code GET /api/v1/dags?limit=100}, the DAG list and the grid. Never used by tests with timing
 * assertions.
 */
public record ScaleBenchmark(BenchContext context, ScaleBenchmark.Settings settings) implements Runnable {

    /** The options of {@code gust bench scale}. */
    public record Settings(int dags, int tasks, int runningRuns, long historyTaskInstances, int rounds, int requests) {}

    private static final String RUNNING_PREFIX = "bench_running__";

    @Override
    public void run() {
        PrintWriter out = context.out();
        try (Workspace workspace = Workspace.create()) {
            Path folder = Files.createDirectories(workspace.root().resolve("dags"));
            GustConfig config = workspace.config(folder, Map.of("GUST_DATABASE__POOL_SIZE", "10"));
            progress("starting a throwaway embedded PostgreSQL ...");
            try (ThrowawayDatabase database = workspace.open(context, config);
                    DagFolderSync sync = database.dagFolderSync()) {
                Figures rounds = new Figures(
                        "active DAGs",
                        "running runs",
                        "task instances in them",
                        "sync of the new files (ms)",
                        "round p50 / p99 / max (ms)",
                        "load average");
                int generated = 0;
                for (int size : sizes()) {
                    progress("generating DAG files " + generated + " to " + (size - 1) + " ...");
                    DagLoadingBenchmark.generate(folder, generated, size, settings.tasks());
                    generated = size;
                    long start = System.nanoTime();
                    sync.sync();
                    long syncMillis = millisSince(start);
                    database.jdbc().update("UPDATE dag SET is_paused = false WHERE is_paused", Params.none());
                    int instances = replaceRunningRuns(database);
                    progress("timing " + settings.rounds() + " scheduling rounds at " + size + " DAGs ...");
                    List<Double> times = timeRounds(database);
                    rounds.add(
                            String.valueOf(size),
                            String.valueOf(settings.runningRuns()),
                            String.valueOf(instances),
                            String.valueOf(syncMillis),
                            summary(times, 0.99),
                            loadAverage());
                }
                Figures loading = loading(folder, database, sync);
                Figures web = web(config, database);
                out.println();
                out.println(
                        "Scheduling rounds (each running run has a waiting task instance, so every round reads every one):");
                context.printTable().accept(rounds);
                out.println();
                out.println("DAG files:");
                context.printTable().accept(loading);
                out.println();
                out.println("Web server:");
                context.printTable().accept(web);
                out.printf(
                        "machine: %d CPUs, Java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A tenth, half and all of the DAGs: the points of the curve. */
    private List<Integer> sizes() {
        List<Integer> sizes = new ArrayList<>();
        for (int size : new int[] {settings.dags() / 10, settings.dags() / 2, settings.dags()}) {
            if (size > 0 && (sizes.isEmpty() || size > sizes.getLast())) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    /**
     * Replaces the benchmark's running runs with {@code runningRuns} fresh ones spread evenly over
     * the active DAGs, each with its first task done, its second running and the rest waiting:
     * every round then examines every waiting task instance and changes nothing, so each round
     * does the same work. Returns how many task instances the running runs have.
     */
    private int replaceRunningRuns(ThrowawayDatabase database) {
        var jdbc = database.jdbc();
        jdbc.update("DELETE FROM dag_run WHERE run_id LIKE :prefix", Params.of("prefix", RUNNING_PREFIX + "%"));
        int dags = jdbc.queryOne("SELECT count(*) FROM dag WHERE is_active", Params.none(), r -> r.getInt(1))
                .orElse(0);
        int perDag = Math.max(1, (int) Math.ceil(settings.runningRuns() / (double) dags));
        int step = Math.max(1, dags / settings.runningRuns());
        jdbc.update(
                """
                INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state,
                                     run_type, queued_at, start_date)
                SELECT p.dag_id, :prefix || k, ts, ts, ts + interval '1 day', 'running', 'scheduled', now(), now()
                  FROM (SELECT dag_id, row_number() OVER (ORDER BY dag_id) - 1 AS n FROM dag WHERE is_active) p,
                       generate_series(0, :perDag - 1) AS k,
                       LATERAL (SELECT timestamptz '2030-01-01' + k * interval '1 day' AS ts) t
                 WHERE p.n % :step = 0
                 ORDER BY p.n, k
                 LIMIT :runs""",
                Params.of("prefix", RUNNING_PREFIX)
                        .and("perDag", perDag)
                        .and("step", step)
                        .and("runs", settings.runningRuns()));
        int instances =
                jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, operator, hostname,
                                           start_date, last_heartbeat_at)
                SELECT r.dag_id, r.run_id, 'task_' || t,
                       CASE t WHEN 0 THEN 'success' WHEN 1 THEN 'running' ELSE 'none' END,
                       CASE WHEN t < 2 THEN 1 ELSE 0 END, 2, 'bash', 'bench-host',
                       CASE WHEN t < 2 THEN now() END, CASE WHEN t = 1 THEN now() END
                  FROM dag_run r, generate_series(0, :tasks - 1) AS t
                 WHERE r.run_id LIKE :prefix""", Params.of("prefix", RUNNING_PREFIX + "%").and("tasks", settings.tasks()));
        // the runs of the previous size are dead rows until vacuumed: each size must start as clean
        jdbc.update("VACUUM ANALYZE dag_run", Params.none());
        jdbc.update("VACUUM ANALYZE task_instance", Params.none());
        return instances;
    }

    /** The scheduling round as a scheduler runs it, on this database's DAGs, after as many warm-up rounds. */
    private List<Double> timeRounds(ThrowawayDatabase database) {
        GustConfig.Core core = database.config().core();
        SchedulingLoop loop = new SchedulingLoop(
                database.stores(),
                new DagDefinitions(database.dags()),
                core.maxActiveRunsPerDag(),
                core.maxActiveTasksPerDag(),
                core.catchupByDefault(),
                Clock.systemUTC(),
                null);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 2 * settings.rounds(); i++) {
            long start = System.nanoTime();
            loop.runOnce();
            double took = (System.nanoTime() - start) / 1e6;
            if (i >= settings.rounds()) {
                times.add(took);
            }
        }
        return times;
    }

    /** A cold parse of the whole folder, then a new sync's first pass and its re-syncs after one change. */
    private Figures loading(Path folder, ThrowawayDatabase database, DagFolderSync running) {
        Figures table = new Figures("measure", "ms", "load average");
        progress("cold parse of " + settings.dags() + " files ...");
        try (DagFolderScanner scanner = new DagFolderScanner(folder)) {
            long start = System.nanoTime();
            DagFolderScan scan = scanner.scan();
            table.add(
                    "cold parse of " + settings.dags() + " files ("
                            + scan.dags().size() + " DAGs, " + scan.taskCount() + " tasks; read, parse, validate)",
                    String.valueOf(millisSince(start)),
                    loadAverage());
        }
        try (DagFolderSync fresh = database.dagFolderSync()) {
            long start = System.nanoTime();
            fresh.sync();
            table.add(
                    "a new process's first sync: cold parse and compare with the " + settings.dags() + " stored DAGs",
                    String.valueOf(millisSince(start)),
                    loadAverage());
        }
        List<Double> changed = new ArrayList<>();
        List<Double> unchanged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int dag = (i * 7919) % settings.dags();
            rewrite(folder.resolve(DagLoadingBenchmark.fileName(dag)), dag, i);
            long start = System.nanoTime();
            DagFolderSync.SyncOutcome outcome = running.sync();
            changed.add((System.nanoTime() - start) / 1e6);
            if (outcome.dagsWritten() != 1) {
                throw new IllegalStateException("one changed file wrote " + outcome.dagsWritten() + " DAGs");
            }
            start = System.nanoTime();
            running.sync();
            unchanged.add((System.nanoTime() - start) / 1e6);
        }
        table.add("re-sync after one file changed, p50 / p95 / max of 20", summary(changed, 0.95), loadAverage());
        table.add("re-sync with nothing changed, p50 / p95 / max of 20", summary(unchanged, 0.95), loadAverage());
        return table;
    }

    private void rewrite(Path file, int dag, int edit) {
        try {
            Files.writeString(
                    file, DagLoadingBenchmark.dagYaml(dag, settings.tasks()).replace("echo step", "echo edit " + edit));
            // visible even where timestamps are coarse
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(edit + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** History in bulk, then the API, the DAG list and the grid, timed by the server where it says. */
    private Figures web(GustConfig config, ThrowawayDatabase database) throws IOException, InterruptedException {
        long perDag = settings.historyTaskInstances() / ((long) settings.dags() * settings.tasks());
        int runsPerDag = (int) Math.max(1, perDag);
        progress("inserting " + runsPerDag + " finished runs of each DAG ("
                + ((long) runsPerDag * settings.dags() * settings.tasks()) + " task instances) ...");
        long start = System.nanoTime();
        insertHistory(database, runsPerDag);
        long tis = database.jdbc()
                .queryOne("SELECT count(*) FROM task_instance", Params.none(), r -> r.getLong(1))
                .orElse(0L);
        progress("inserted in " + millisSince(start) / 1000 + " s; " + tis + " task instances in all");
        BenchUser.create(database.userAccounts(), "gust bench scale");
        Figures table = new Figures(
                "request (" + settings.dags() + " DAGs, " + tis + " task instances)",
                "timed by",
                "p50 / p95 / max (ms)",
                "load average");
        try (GustWebServer server = new GustWebServer(WebServices.create(config, database.jdbc()))) {
            String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
            String busy = database.jdbc()
                    .queryOne(
                            "SELECT dag_id FROM dag_run WHERE run_id LIKE :prefix ORDER BY dag_id LIMIT 1",
                            Params.of("prefix", RUNNING_PREFIX + "%"),
                            r -> r.getString(1))
                    .orElseThrow();
            time(table, base, "/api/v1/dags?limit=100", "GET /api/v1/dags?limit=100");
            time(
                    table,
                    base,
                    "/api/v1/dags?limit=100&offset=" + Math.max(0, settings.dags() - 100),
                    "GET /api/v1/dags?limit=100, last page");
            time(table, base, "/", "DAG list, first page");
            time(table, base, "/?page=" + Math.max(1, settings.dags() / 100), "DAG list, last page");
            time(table, base, "/?q=generated_dag_42", "DAG list, search");
            time(
                    table,
                    base,
                    "/dags/" + busy + "/grid",
                    "grid of " + busy + " (a running run, " + runsPerDag + " finished ones)");
        }
        return table;
    }

    /** {@code runsPerDag} finished runs of every DAG, each with all its task instances, straight in SQL. */
    private void insertHistory(ThrowawayDatabase database, int runsPerDag) {
        var jdbc = database.jdbc();
        jdbc.update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state,
                                     run_type, queued_at, start_date, end_date)
                SELECT d.dag_id, 'scheduled__' || to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS'), ts, ts, ts + interval '1 hour',
                       CASE WHEN n % 10 = 0 THEN 'failed' ELSE 'success' END, 'scheduled',
                       ts + interval '1 hour', ts + interval '1 hour', ts + interval '1 hour 5 minutes'
                  FROM dag d, generate_series(1, :runs) AS n,
                       LATERAL (SELECT timestamptz '2026-01-01' - n * interval '1 hour' AS ts) t
                 WHERE d.is_active""", Params.of("runs", runsPerDag));
        jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, operator, hostname,
                                           start_date, end_date, duration)
                SELECT r.dag_id, r.run_id, 'task_' || t,
                       CASE WHEN r.state = 'failed' AND t = :tasks - 1 THEN 'failed' ELSE 'success' END,
                       1, 2, 'bash', 'bench-host', r.start_date + t * interval '10 seconds',
                       r.start_date + t * interval '10 seconds' + interval '8 seconds', 8
                  FROM dag_run r, generate_series(0, :tasks - 1) AS t
                 WHERE r.run_id LIKE 'scheduled\\_\\_%'""", Params.of("tasks", settings.tasks()));
        jdbc.update("ANALYZE", Params.none());
    }

    /**
     * Requests {@code path} as many times as {@code requests} after as many warm-up ones; pages
     * are timed by their {@code Server-Timing} header, the API (which has none) by the client over
     * loopback, which is the server's time and a little more.
     */
    private void time(Figures table, String base, String path, String label) throws IOException, InterruptedException {
        progress("timing " + label + " ...");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header(BenchUser.AUTHORIZATION, BenchUser.basicAuth())
                .build();
        List<Double> times = new ArrayList<>();
        boolean byServer = false;
        for (int i = 0; i < 2 * settings.requests(); i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            double took = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            var timing = response.headers().firstValue("Server-Timing");
            byServer = timing.isPresent();
            if (i >= settings.requests()) {
                times.add(timing.map(t -> Double.parseDouble(t.substring(t.indexOf("dur=") + 4)))
                        .orElse(took));
            }
        }
        table.add(label, byServer ? "server" : "client", summary(times, 0.95), loadAverage());
    }

    private void progress(String line) {
        context.out().println(line);
        context.out().flush();
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** p50, the given high percentile and the maximum, in ms. */
    private static String summary(List<Double> values, double high) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return ms(percentile(sorted, 0.50)) + " / " + ms(percentile(sorted, high)) + " / " + ms(sorted.getLast());
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The machine's 1-minute load average: other work on the machine moves every figure. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
