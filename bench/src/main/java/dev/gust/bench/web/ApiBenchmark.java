package dev.gust.bench.web;

import dev.gust.bench.BenchContext;
import dev.gust.bench.BenchmarkException;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.NextDagrunRecorder;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.webserver.GustWebServer;
import dev.gust.webserver.WebServices;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gust bench api}: requests per second of {@code GET /api/v1/dags?limit=100} measured by
 * {@code wrk} over loopback, with a throwaway embedded PostgreSQL holding generated DAGs. The
 * load generator is wrk, not Java, so the figure is the server's and not the client's. Without
 * wrk installed it prints the exact command and, with {@code --serve}, keeps serving for it.
 */
public record ApiBenchmark(BenchContext context, ApiBenchmark.Settings settings) implements Runnable {

    /** The options of {@code gust bench api}. */
    public record Settings(int dags, int duration, int connections, int threads, String path, boolean serve) {}

    @Override
    public void run() {
        PrintWriter out = context.out();
        boolean wrk = wrkInstalled();
        if (!wrk && !settings.serve()) {
            throw new BenchmarkException(
                    "wrk is not installed: install it (apt-get install -y wrk) or use --serve and run wrk yourself");
        }
        try (Workspace workspace = Workspace.create()) {
            Path work = workspace.root();
            Path dagsFolder = Files.createDirectories(work.resolve("dags"));
            writeDags(dagsFolder, settings.dags());
            // The web server's pool: enough connections for every wrk connection's request in flight.
            GustConfig config = workspace.config(
                    dagsFolder,
                    Map.of("GUST_DATABASE__POOL_SIZE", String.valueOf(Math.max(10, settings.connections()))));
            out.println("starting a throwaway embedded PostgreSQL ...");
            out.flush();
            try (ThrowawayDatabase database = workspace.open(context, config)) {
                try (DagFolderSync sync = database.dagFolderSync()) {
                    DagFolderSync.SyncOutcome outcome = sync.sync();
                    out.printf("%d DAGs stored (%d import errors)%n", outcome.dags(), outcome.importErrors());
                }
                recordNextRuns(database);
                // Scripts call the API with HTTP basic, so the benchmark does too: every request is
                // authenticated (the server keeps a verified password for a short while instead of
                // running bcrypt each time).
                BenchUser.create(database.userAccounts(), "gust bench api");
                try (GustWebServer server = new GustWebServer(WebServices.create(config, database.jdbc()))) {
                    int port = server.start("127.0.0.1", 0);
                    String url = "http://127.0.0.1:" + port + settings.path();
                    String command = "wrk -t" + settings.threads() + " -c" + settings.connections() + " -d"
                            + settings.duration() + "s --latency -H '"
                            + BenchUser.AUTHORIZATION + ": " + BenchUser.basicAuth() + "' '" + url + "'";
                    int bytes = warmUp(url, out);
                    String loadBefore = loadAverage();
                    if (!wrk) {
                        out.println("serving; run:  " + command);
                        out.flush();
                        new CountDownLatch(1).await();
                        return;
                    }
                    out.println("running: " + command);
                    out.flush();
                    String wrkOutput = runWrk(url);
                    out.println(wrkOutput);
                    Figures table = new Figures("measure", "value");
                    table.add("DAGs in the database", String.valueOf(settings.dags()));
                    table.add("request", "GET " + settings.path() + " (" + bytes + " bytes of JSON)");
                    table.add("authorization", "HTTP basic, a viewer");
                    table.add("requests / s", find(wrkOutput, "Requests/sec:\\s+([\\d.]+)"));
                    table.add(
                            "latency p50 / p99",
                            find(wrkOutput, "\\s50%\\s+(\\S+)") + " / " + find(wrkOutput, "\\s99%\\s+(\\S+)"));
                    table.add(
                            "wrk",
                            settings.threads() + " threads, " + settings.connections() + " connections, "
                                    + settings.duration() + " s");
                    table.add("load average before / after", loadBefore + " / " + loadAverage());
                    table.add(
                            "machine", Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version());
                    context.printTable().accept(table);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A few thousand requests first, so that wrk measures compiled code and a warm connection pool. */
    private int warmUp(String url, PrintWriter out) throws IOException, InterruptedException {
        out.println("warming up ...");
        out.flush();
        HttpClient client = HttpClient.newHttpClient();
        int bytes = 0;
        for (int i = 0; i < 2000; i++) {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header(BenchUser.AUTHORIZATION, BenchUser.basicAuth())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + settings.path() + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            bytes = response.body().length;
        }
        return bytes;
    }

    private String runWrk(String url) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "wrk",
                        "-t" + settings.threads(),
                        "-c" + settings.connections(),
                        "-d" + settings.duration() + "s",
                        "--latency",
                        "-H",
                        BenchUser.AUTHORIZATION + ": " + BenchUser.basicAuth(),
                        url)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new BenchmarkException("wrk failed: " + output.strip());
        }
        return output;
    }

    /**
     * Records every DAG's next scheduled run on its row, as a running scheduler does, so that the
     * measured answers carry the next_dagrun fields users see.
     */
    private static void recordNextRuns(ThrowawayDatabase database) {
        DagRepository dagRepository = database.dags();
        NextDagrunRecorder nextDagruns = new NextDagrunRecorder(database.dagRunCreator(), dagRepository);
        for (var dag : dagRepository.listActive()) {
            nextDagruns.record(dag.dagId());
        }
    }

    /** {@code count} DAGs of five tasks in files of 100, with tags and cron schedules like real ones. */
    static void writeDags(Path folder, int count) throws IOException {
        for (int file = 0; file * 100 < count; file++) {
            StringBuilder yaml = new StringBuilder();
            for (int i = file * 100; i < Math.min(count, (file + 1) * 100); i++) {
                yaml.append(String.format("""
                        bench_dag_%04d:
                          description: Generated DAG number %d for the API benchmark
                          schedule: '%d %d * * *'
                          tags: [bench, team_%d]
                          default_args: {owner: team_%d, start_date: 2024-01-01, retries: 1}
                          tasks:
                            extract: {operator: bash, bash_command: echo extract}
                            clean: {operator: bash, bash_command: echo clean, dependencies: [extract]}
                            load: {operator: bash, bash_command: echo load, dependencies: [clean]}
                            audit: {operator: empty, dependencies: [extract]}
                            report: {operator: empty, dependencies: [load, audit]}
                        """, i, i, i % 60, i % 24, i % 7, i % 7));
            }
            Files.writeString(folder.resolve("bench_" + file + ".yaml"), yaml);
        }
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? matcher.group(1) : "?";
    }

    private static String loadAverage() {
        try {
            List<String> fields = new ArrayList<>(
                    List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")));
            return fields.get(0) + " " + fields.get(1) + " " + fields.get(2);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Whether a {@code wrk} on the path starts (the process launcher searches the path). */
    private static boolean wrkInstalled() {
        try {
            Process process = new ProcessBuilder("wrk", "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            process.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
