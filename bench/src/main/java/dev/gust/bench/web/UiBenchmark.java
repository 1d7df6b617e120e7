package dev.gust.bench.web;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Params;
import dev.gust.core.store.views.BrowseFilter;
import dev.gust.core.store.views.RunGanttQuery;
import dev.gust.core.store.views.TaskDurationQuery;
import dev.gust.core.store.views.TaskInstanceBrowseQuery;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gust bench ui}: how long the web server takes to answer its heaviest pages, the DAG
 * list with many DAGs, the grid of a DAG with many runs and tasks (and its Gantt, duration,
 * landing times, calendar and audit tabs), and the cross-DAG Browse
 * pages and dashboard over many task instances, on a throwaway embedded
 * PostgreSQL. The DAGs are real DAG files loaded by the DAG folder sync; runs and task instances
 * are inserted in bulk. Each page is requested over loopback HTTP after a warm-up; "server" is the
 * page's {@code Server-Timing} (from the request's arrival to the rendered page: queries and
 * template), "client" the whole request as the HTTP client sees it.
 */
public record UiBenchmark(BenchContext context, UiBenchmark.Settings settings) implements Runnable {

    private static final int DAGS_PER_FILE = 100;
    private static final String GANTT_RUN = "scheduled__2024-01-02T00:00:00";
    private static final String[] STATES = {"success", "success", "success", "failed", "running", "queued"};
    private static final String[] TI_STATES = {
        "success",
        "success",
        "success",
        "failed",
        "upstream_failed",
        "running",
        "queued",
        "scheduled",
        "none",
        "skipped",
        "up_for_retry"
    };

    /**
     * The Browse pages' task instances end in these, except those that started in the last two
     * hours, which are in flight: as on a real cluster, where at most a few hundred are.
     */
    private static final String[] FINISHED_TI_STATES = {
        "success", "success", "success", "failed", "upstream_failed", "skipped", "success"
    };

    /**
     * The options of {@code gust bench ui}; {@code browseTaskInstances} is how many task instances
     * the listed DAGs' runs get for the Browse pages and the dashboard (besides the grid's).
     */
    public record Settings(
            int dags, int runsPerDag, int gridRuns, int gridTasks, int requests, int browseTaskInstances) {}

    @Override
    public void run() {
        PrintWriter out = context.out();
        try (Workspace workspace = Workspace.create()) {
            Path work = workspace.root();
            Path folder = Files.createDirectories(work.resolve("dags"));
            writeDags(folder);
            GustConfig config = workspace.config(folder, Map.of());
            out.println("starting a throwaway embedded PostgreSQL ...");
            out.flush();
            try (ThrowawayDatabase database = workspace.open(context, config);
                    DagFolderSync sync = database.dagFolderSync()) {
                var outcome = sync.sync();
                out.printf(
                        "loaded %d DAGs (%d import errors); inserting runs ...%n",
                        outcome.dags(), outcome.importErrors());
                out.flush();
                insertRuns(database);
                insertBrowseRows(database);
                BenchUser.create(database.userAccounts(), "gust bench ui");
                try (GustWebServer server = new GustWebServer(WebServices.create(config, database.jdbc()))) {
                    int port = server.start("127.0.0.1", 0);
                    String base = "http://127.0.0.1:" + port;
                    Figures table = new Figures(
                            "page",
                            "bytes / sent gzipped",
                            "server p50 / p95 / max (ms)",
                            "client p50 / p95 / max (ms)");
                    measure(table, base, "/", "DAG list, first page of " + settings.dags() + " DAGs (100 rows)", out);
                    measure(table, base, "/?page=" + Math.max(1, settings.dags() / 100), "DAG list, last page", out);
                    measure(table, base, "/?q=bench_dag_0042", "DAG list, search", out);
                    measure(
                            table,
                            base,
                            "/dags/bench_grid/grid?runs=" + settings.gridRuns(),
                            "grid, " + settings.gridRuns() + " runs x " + settings.gridTasks() + " tasks",
                            out);
                    // what the grid's script asks for: the panel after a click, the grid while runs move
                    String gridPath = "/dags/bench_grid/grid?runs=" + settings.gridRuns();
                    String oneRun = "&run_id=scheduled__2024-01-02T00:00:00";
                    measure(
                            table,
                            base,
                            gridPath + oneRun + "&task_id=task_00",
                            "grid's panel of a task (HX-Target: details)",
                            out,
                            "HX-Request",
                            "true",
                            "HX-Target",
                            "details");
                    measure(
                            table,
                            base,
                            gridPath + oneRun,
                            "grid's panel of a run (HX-Target: details)",
                            out,
                            "HX-Request",
                            "true",
                            "HX-Target",
                            "details");
                    // while runs move the page asks for the unfinished runs' columns only (a third
                    // of this grid's runs are running or queued: more than a real DAG has)
                    String newest = "scheduled__"
                            + java.time.LocalDate.of(2024, 1, 1).plusDays(settings.gridRuns()) + "T00:00:00";
                    measure(
                            table,
                            base,
                            "/dags/bench_grid/grid/live?runs=" + settings.gridRuns() + "&newest=" + newest,
                            "grid's live update (JSON, unfinished runs)",
                            out);
                    measure(table, base, "/dags/bench_grid/graph", "graph, " + settings.gridTasks() + " tasks", out);
                    measureChartTabs(table, base, out);
                    measureBrowse(table, base, out);
                    out.println();
                    context.printTable().accept(table);
                    out.printf(
                            "%d requests per page after %d warm-up ones; machine: %d CPUs, Java %s%n",
                            settings.requests(),
                            settings.requests(),
                            Runtime.getRuntime().availableProcessors(),
                            Runtime.version());
                    printPlans(database, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeDags(Path folder) throws IOException {
        for (int file = 0; file * DAGS_PER_FILE < settings.dags(); file++) {
            StringBuilder yaml = new StringBuilder();
            for (int i = file * DAGS_PER_FILE; i < Math.min(settings.dags(), (file + 1) * DAGS_PER_FILE); i++) {
                yaml.append("""
                        bench_dag_%04d:
                          description: Benchmark DAG number %d with a description of ordinary length
                          schedule: '%s'
                          tags: [team_%d, bench]
                          default_args: {owner: owner_%d, start_date: 2024-01-01}
                          tasks:
                            extract: {operator: empty}
                            transform: {operator: empty, dependencies: [extract]}
                            load: {operator: empty, dependencies: [transform]}
                        """.formatted(
                                i, i, i % 3 == 0 ? "@daily" : i % 3 == 1 ? "0 */4 * * *" : "@hourly", i % 10, i % 7));
            }
            Files.writeString(folder.resolve("bench_%02d.yaml".formatted(file)), yaml);
        }
        StringBuilder grid = new StringBuilder("""
                bench_grid:
                  description: A DAG with many tasks and runs for the grid
                  schedule: '@daily'
                  default_args: {owner: bench, start_date: 2024-01-01}
                  tasks:
                """);
        for (int t = 0; t < settings.gridTasks(); t++) {
            grid.append("    task_%02d: {operator: empty%s}\n"
                    .formatted(t, t == 0 ? "" : ", dependencies: [task_%02d]".formatted((t - 1) / 2)));
        }
        Files.writeString(folder.resolve("bench_grid.yaml"), grid);
    }

    /** Runs and task instances in bulk, with a mix of states, straight in SQL: this is test data. */
    private void insertRuns(ThrowawayDatabase database) {
        var jdbc = database.jdbc();
        jdbc.update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state, run_type,
                                     start_date, end_date)
                SELECT d.dag_id, 'scheduled__' || to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS'), ts, ts, ts + interval '1 day',
                       (CAST(:states AS text[]))[1 + (n % 6)], 'scheduled', ts + interval '1 day', ts + interval '1 day 5 minutes'
                  FROM dag d, generate_series(1, :runs) AS n,
                       LATERAL (SELECT timestamptz '2024-01-01' + n * interval '1 day' AS ts) t
                 WHERE d.dag_id LIKE 'bench_dag_%'""", Params.of("states", List.of(STATES)).and("runs", settings.runsPerDag()));
        jdbc.update("""
                INSERT INTO dag_run (dag_id, run_id, logical_date, data_interval_start, data_interval_end, state, run_type,
                                     start_date, end_date)
                SELECT 'bench_grid', 'scheduled__' || to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS'), ts, ts, ts + interval '1 day',
                       (CAST(:states AS text[]))[1 + (n % 6)], 'scheduled', ts + interval '1 day', ts + interval '1 day 5 minutes'
                  FROM generate_series(1, :runs) AS n,
                       LATERAL (SELECT timestamptz '2024-01-01' + n * interval '1 day' AS ts) t""", Params.of("states", List.of(STATES)).and("runs", settings.gridRuns()));
        // the grid's task instances queued, started and ended one after another through the run, so
        // that the Gantt and the duration and landing charts have bars and lines to draw
        jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, operator,
                                           queued_at, start_date, end_date, duration)
                SELECT r.dag_id, r.run_id, 'task_' || lpad(t::text, 2, '0'),
                       (CAST(:states AS text[]))[1 + ((t * 7 + r.id) % 11)], 1, 0, 'empty',
                       r.start_date + t * interval '5 seconds',
                       r.start_date + t * interval '5 seconds' + interval '1 second',
                       r.start_date + t * interval '5 seconds' + (2 + (t + r.id) % 9) * interval '1 second',
                       1 + (t + r.id) % 9
                  FROM dag_run r, generate_series(0, :tasks - 1) AS t
                 WHERE r.dag_id = 'bench_grid'""", Params.of("states", List.of(TI_STATES)).and("tasks", settings.gridTasks()));
        // and their tries, as the database's trigger records them when tasks run
        jdbc.update("""
                INSERT INTO task_instance_try (dag_id, run_id, task_id, map_index, try_number, state, max_tries, pool,
                                               pool_slots, priority_weight, operator, queued_at, start_date, end_date,
                                               duration)
                SELECT dag_id, run_id, task_id, map_index, try_number, state, max_tries, pool, pool_slots,
                       priority_weight, operator, queued_at, start_date, end_date, duration
                  FROM task_instance WHERE dag_id = 'bench_grid'""", Params.none());
        jdbc.update("ANALYZE", Params.none());
    }

    /** The DAG page's Gantt, duration, landing times, calendar and audit tabs, on the grid's DAG. */
    private void measureChartTabs(Figures table, String base, PrintWriter out)
            throws IOException, InterruptedException {
        String tasks = settings.gridTasks() + " tasks";
        measure(table, base, "/dags/bench_grid/gantt?run_id=" + GANTT_RUN, "Gantt of a run, " + tasks, out);
        measure(
                table,
                base,
                "/dags/bench_grid/duration?runs=" + settings.gridRuns(),
                "task duration chart, " + settings.gridRuns() + " runs x " + tasks,
                out);
        measure(
                table,
                base,
                "/dags/bench_grid/landing-times?runs=" + settings.gridRuns(),
                "landing times chart, " + settings.gridRuns() + " runs x " + tasks,
                out);
        measure(table, base, "/dags/bench_grid/calendar?year=2024", "calendar, a year of daily runs", out);
        measure(table, base, "/dags/bench_grid/audit-log", "audit tab of a DAG", out);
    }

    /** The cross-DAG pages over every task instance: Browse with and without filters, the dashboard. */
    private void measureBrowse(Figures table, String base, PrintWriter out) throws IOException, InterruptedException {
        String tis = settings.browseTaskInstances() + " task instances";
        measure(table, base, "/browse/task-instances", "Browse task instances, newest 50 of " + tis, out);
        measure(
                table,
                base,
                "/browse/task-instances?state=failed&since=24h",
                "Browse task instances, failed in 24 h",
                out);
        measure(table, base, "/browse/task-instances?dag_id=bench_dag_0042", "Browse task instances, one DAG", out);
        measure(table, base, "/browse/task-instances?page=40", "Browse task instances, page 40", out);
        measure(table, base, "/browse/runs", "Browse DAG runs, newest 50", out);
        measure(table, base, "/browse/runs?state=failed&since=24h", "Browse DAG runs, failed in 24 h", out);
        measure(table, base, "/browse/xcoms", "Browse XComs, newest 50", out);
        measure(table, base, "/dashboard", "dashboard (" + tis + ")", out);
    }

    /**
     * Task instances for the listed DAGs' runs, as many as {@code browseTaskInstances} asks, with
     * a mix of states and start times over the last 30 days (the runs' too, so "in the last
     * 24 h" filters find some; those of the last two hours still in flight), and an XCom per run.
     */
    private void insertBrowseRows(ThrowawayDatabase database) {
        var jdbc = database.jdbc();
        long runs = (long) settings.dags() * settings.runsPerDag();
        if (runs == 0 || settings.browseTaskInstances() <= 0) {
            return;
        }
        int perRun = (int) Math.ceil(settings.browseTaskInstances() / (double) runs);
        jdbc.update("""
                UPDATE dag_run SET start_date = now() - (id % 720) * interval '1 hour',
                                   end_date = now() - (id % 720) * interval '1 hour' + interval '5 minutes'
                 WHERE dag_id LIKE 'bench_dag_%'""", Params.none());
        jdbc.update(
                """
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, operator, pool,
                                           hostname, start_date, end_date, duration)
                SELECT dag_id, run_id, task_id, state, 1, 1, 'empty', 'default_pool', 'bench-host',
                       CASE WHEN state IN ('none', 'scheduled', 'queued') THEN NULL ELSE started END,
                       CASE WHEN state IN ('none', 'scheduled', 'queued', 'running') THEN NULL
                            ELSE started + interval '30 seconds' END,
                       CASE WHEN state IN ('none', 'scheduled', 'queued', 'running') THEN NULL ELSE 30 END
                  FROM (SELECT r.dag_id, r.run_id, 'task_' || lpad(t::text, 2, '0') AS task_id,
                               CASE WHEN (r.id * 7 + t * 13) % 43200 < 120
                                    THEN (CAST(:inFlight AS text[]))[1 + ((t + r.id) % 4)]
                                    ELSE (CAST(:finished AS text[]))[1 + ((t * 7 + r.id) % 7)] END AS state,
                               now() - ((r.id * 7 + t * 13) % 43200) * interval '1 minute' AS started
                          FROM dag_run r, generate_series(0, :perRun - 1) AS t
                         WHERE r.dag_id LIKE 'bench_dag_%') rows
                 LIMIT :total""",
                Params.of("finished", List.of(FINISHED_TI_STATES))
                        .and("inFlight", List.of("running", "queued", "scheduled", "up_for_retry"))
                        .and("perRun", perRun)
                        .and("total", settings.browseTaskInstances()));
        jdbc.update("""
                INSERT INTO xcom (dag_id, run_id, task_id, key, value)
                SELECT dag_id, run_id, task_id, 'return_value', to_jsonb('rows: ' || length(run_id))
                  FROM task_instance WHERE dag_id LIKE 'bench_dag_%' AND task_id = 'task_00'""", Params.none());
        jdbc.update("ANALYZE", Params.none());
    }

    /**
     * PostgreSQL's plans of the Browse task-instance page, the Gantt's and the duration chart's
     * queries, so a slow figure can be read against them.
     */
    private void printPlans(ThrowawayDatabase database, PrintWriter out) {
        out.println();
        out.println("EXPLAIN ANALYZE, Gantt of a run (its tries):");
        new RunGanttQuery(database.jdbc()).plan("bench_grid", GANTT_RUN).forEach(line -> out.println("  " + line));
        List<String> runIds = database.jdbc()
                .query(
                        "SELECT run_id FROM dag_run WHERE dag_id = 'bench_grid' ORDER BY logical_date DESC LIMIT :n",
                        Params.of("n", settings.gridRuns()),
                        row -> row.getString(1));
        out.println();
        out.println("EXPLAIN ANALYZE, task duration chart (" + runIds.size() + " runs):");
        new TaskDurationQuery(database.jdbc()).plan("bench_grid", runIds).forEach(line -> out.println("  " + line));
        TaskInstanceBrowseQuery query = new TaskInstanceBrowseQuery(database.jdbc());
        Instant since = Instant.now().minus(Duration.ofHours(24));
        Map<String, BrowseFilter> filters = new java.util.LinkedHashMap<>();
        filters.put("newest 50", BrowseFilter.none());
        filters.put("failed in 24 h", new BrowseFilter(null, List.of("failed"), since, null));
        filters.put("one DAG", new BrowseFilter("bench_dag_0042", List.of(), null, null));
        filters.forEach((label, filter) -> {
            out.println();
            out.println("EXPLAIN ANALYZE, Browse task instances, " + label + ":");
            query.plan(filter, 1, 50).forEach(line -> out.println("  " + line));
        });
        out.flush();
    }

    /** Requests {@code path} (with {@code headers}, name then value) and adds its figures to the table. */
    private void measure(Figures table, String base, String path, String label, PrintWriter out, String... headers)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).header(BenchUser.AUTHORIZATION, BenchUser.basicAuth());
        for (int h = 0; h + 1 < headers.length; h += 2) {
            builder.header(headers[h], headers[h + 1]);
        }
        // as a browser asks: what a page (or a live update) costs on the wire is its gzipped size
        HttpRequest request = builder.header("Accept-Encoding", "gzip").build();
        int bytes = 0;
        int sent = 0;
        List<Double> millis = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        for (int i = 0; i < 2 * settings.requests(); i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            sent = response.body().length;
            bytes = response.headers()
                            .firstValue("Content-Encoding")
                            .filter("gzip"::equals)
                            .isPresent()
                    ? gunzip(response.body()).length
                    : sent;
            if (i >= settings.requests()) {
                millis.add(took / 1e6);
                server.add(serverMillis(response));
            }
        }
        table.add(label, bytes + " / " + sent, summary(server), summary(millis));
        out.printf("%s: done%n", label);
        out.flush();
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (java.util.zip.GZIPInputStream in =
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** The page's own figure from its {@code Server-Timing: app;dur=N} header. */
    private static double serverMillis(HttpResponse<?> response) {
        String timing = response.headers()
                .firstValue("Server-Timing")
                .orElseThrow(() -> new IllegalStateException("no Server-Timing header on " + response.uri()));
        return Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return ms(percentile(sorted, 0.50)) + " / " + ms(percentile(sorted, 0.95)) + " / " + ms(sorted.getLast());
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
