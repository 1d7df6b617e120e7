package dev.gust.bench.engine;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.metrics.MetricsExport;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.scheduler.engine.SchedulerContext;
import dev.gust.scheduler.engine.SchedulerEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gust bench engine}: end-to-end throughput and latency of the real scheduler (loop,
 * queueing, local executor, PostgreSQL) on a throwaway embedded database. Runs are created
 * first, then one scheduler is started and the clock runs until every run has finished; times
 * come from the task instances' own start and end dates in the database.
 */
public record EngineBenchmark(BenchContext context, EngineBenchmark.Settings settings) implements Runnable {

    /** Runs of the latency scenario: each waits for the previous one (max_active_runs 1). */
    private static final int LATENCY_RUNS = 30;

    /** Python tasks in a chain: one runs at a time, so its run time is the start-up cost without contention. */
    private static final int PYTHON_CHAIN = 30;

    /** The options of {@code gust bench engine}. */
    public record Settings(
            int wideTasks,
            int chainRuns,
            int bashTasks,
            int parallelism,
            int pythonTasks,
            String pythonInterpreter,
            int mappedInstances,
            boolean pythonForkServer,
            String metrics,
            boolean comparePgbench) {

        public Settings {
            if (!List.of("off", "ecs", "all").contains(metrics)) {
                throw new IllegalArgumentException("--metrics is off, ecs or all (got " + metrics + ")");
            }
        }

        boolean recordsMetrics() {
            return !metrics.equals("off");
        }
    }

    @Override
    public void run() {
        PrintWriter out = context.out();
        try (Workspace workspace = Workspace.create()) {
            Path work = workspace.root();
            Path dags = Files.createDirectories(work.resolve("dags"));
            Files.writeString(dags.resolve("bench.yaml"), benchDags());
            Files.writeString(dags.resolve("bench_callables.py"), "def trivial():\n    return None\n");
            GustConfig config = workspace.config(
                    dags,
                    Map.of(
                            "GUST_CORE__PARALLELISM", String.valueOf(settings.parallelism()),
                            "GUST_DATABASE__POOL_SIZE", String.valueOf(Math.max(10, settings.parallelism() / 2)),
                            "GUST_CORE__MAX_ACTIVE_TASKS_PER_DAG", "100000",
                            "GUST_CORE__MAX_MAP_LENGTH", String.valueOf(Math.max(1024, settings.mappedInstances())),
                            "GUST_PYTHON__INTERPRETER", settings.pythonInterpreter(),
                            "GUST_PYTHON__FORK_SERVER", String.valueOf(settings.pythonForkServer()),
                            // with --metrics, every output a deployed scheduler may have
                            "GUST_METRICS__STATSD_ON",
                                    String.valueOf(settings.metrics().equals("all")),
                            "GUST_METRICS__STATSD_HOST", "127.0.0.1",
                            "GUST_METRICS__EMF_ON", String.valueOf(settings.recordsMetrics())));
            out.println("starting a throwaway embedded PostgreSQL ...");
            out.flush();
            try (ThrowawayDatabase database = workspace.open(context, config);
                    DagFolderSync sync = database.dagFolderSync()) {
                PgbenchBaseline.Result pgbench = settings.comparePgbench() ? pgbench(database, out) : null;
                sync.sync();
                Figures table = new Figures(
                        "scenario",
                        "task instances",
                        "wall time (s)",
                        "task instances / s",
                        "latency p50 / p95 / p99 (ms)");
                Result wide = scenario(database, "bench_wide", 1, out);
                addRow(table, "empty x " + settings.wideTasks() + ", one run", wide, "");
                Result chain = scenario(database, "bench_chain", settings.chainRuns(), out);
                List<Long> latencies = chainLatencies(database.jdbc(), "bench_chain");
                addRow(
                        table,
                        "10-task chain of empty x " + settings.chainRuns() + " runs",
                        chain,
                        percentiles(latencies));
                Result sequential = scenario(database, "bench_latency", LATENCY_RUNS, out);
                addRow(
                        table,
                        "10-task chain x " + LATENCY_RUNS + " runs one at a time (latency)",
                        sequential,
                        percentiles(chainLatencies(database.jdbc(), "bench_latency")));
                if (settings.bashTasks() > 0) {
                    Result bash = scenario(database, "bench_bash", 1, out);
                    addRow(table, "bash -c true x " + settings.bashTasks() + ", one run", bash, "");
                }
                if (settings.pythonTasks() > 0) {
                    Result python = scenario(database, "bench_python", 1, out);
                    addRow(
                            table,
                            "python trivial callable x " + settings.pythonTasks() + ", one run, fork server "
                                    + (settings.pythonForkServer() ? "on" : "off")
                                    + " (latency: each task's run time)",
                            python,
                            percentiles(taskDurations(database.jdbc(), "bench_python")));
                    Result startUp = scenario(database, "bench_python_chain", 1, out);
                    addRow(
                            table,
                            "python trivial callable x " + PYTHON_CHAIN
                                    + " one after another (latency: each task's run time, the start-up cost alone)",
                            startUp,
                            percentiles(taskDurations(database.jdbc(), "bench_python_chain")));
                }
                if (settings.mappedInstances() > 0) {
                    Result mapped = scenario(database, "bench_mapped", 1, out);
                    addRow(
                            table,
                            "one bash upstream, then `bash -c true` mapped x " + settings.mappedInstances()
                                    + " over its output (latency: upstream end to first instance start)",
                            mapped,
                            expansionLatency(database.jdbc(), "bench_mapped") + "");
                }
                out.println();
                context.printTable().accept(table);
                if (pgbench != null) {
                    // after the scenarios, so that its rows (deleted afterwards) never weigh on them
                    LifecycleFloor.Result floor = lifecycleFloor(database, out);
                    out.println();
                    context.printTable().accept(comparison(pgbench, floor, wide, chain));
                    out.println("PostgreSQL baseline: " + pgbench.how());
                    out.println("Life cycle floor: " + floor.how());
                }
                out.printf(
                        "machine: %d CPUs, Java %s, parallelism %d, load average %s%n",
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.version(),
                        settings.parallelism(),
                        LoadAverage.now());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Result(int tasks, Duration wall) {
        double perSecond() {
            return tasks / Math.max(0.001, wall.toMillis() / 1000.0);
        }
    }

    /**
     * pgbench's simple-update transaction against the same PostgreSQL, before any scenario, so
     * that the engine's rate can be read as a ratio of what the database allows on this machine.
     */
    private static PgbenchBaseline.Result pgbench(ThrowawayDatabase database, PrintWriter out)
            throws InterruptedException {
        out.printf(
                "PostgreSQL baseline: pgbench -N, %d clients, %d s ...%n",
                PgbenchBaseline.CLIENTS, PgbenchBaseline.DURATION.toSeconds());
        out.flush();
        var server = database.database()
                .embeddedServer()
                .orElseThrow(() -> new IllegalStateException("the benchmark's database is always the embedded one"));
        PgbenchBaseline.Result result =
                new PgbenchBaseline(server, database.database().dataSource(), PgbenchBaseline.DURATION).run();
        out.printf(Locale.ROOT, "PostgreSQL baseline: %.0f transactions / s%n", result.transactionsPerSecond());
        return result;
    }

    /** What PostgreSQL alone allows for an empty task instance's writes, on the same database. */
    private static LifecycleFloor.Result lifecycleFloor(ThrowawayDatabase database, PrintWriter out)
            throws InterruptedException {
        out.printf(
                "Life cycle floor: an empty task instance's writes alone, %d connections, %d s ...%n",
                LifecycleFloor.CLIENTS, LifecycleFloor.DURATION.toSeconds());
        out.flush();
        return new LifecycleFloor(database.database().dataSource(), LifecycleFloor.DURATION).run();
    }

    /**
     * The {@code empty} scenarios' rates beside pgbench's (the target is a ratio of 1 or
     * more) and beside the life cycle floor: what the database alone allows for the same writes.
     */
    private static Figures comparison(
            PgbenchBaseline.Result pgbench, LifecycleFloor.Result floor, Result wide, Result chain) {
        Figures table = new Figures(
                "scenario",
                "task instances / s",
                "pgbench -N transactions / s",
                "task instances per pgbench transaction",
                "share of the life cycle floor");
        String tps = String.format(Locale.ROOT, "%.0f", pgbench.transactionsPerSecond());
        double floorRate = floor.taskInstancesPerSecond();
        table.add(
                "empty, one wide run",
                rate(wide),
                tps,
                ratio(wide.perSecond(), pgbench.transactionsPerSecond()),
                ratio(wide.perSecond(), floorRate));
        table.add(
                "empty, 10-task chains",
                rate(chain),
                tps,
                ratio(chain.perSecond(), pgbench.transactionsPerSecond()),
                ratio(chain.perSecond(), floorRate));
        table.add(
                "life cycle floor (PostgreSQL alone)",
                String.format(Locale.ROOT, "%.0f", floorRate),
                tps,
                ratio(floorRate, pgbench.transactionsPerSecond()),
                "1.00");
        return table;
    }

    private static String ratio(double rate, double yardstick) {
        return String.format(Locale.ROOT, "%.2f", rate / yardstick);
    }

    /** A scenario's row: its task instances, wall time and rate from {@code result}, then its latencies (if any). */
    private static void addRow(Figures table, String scenario, Result result, String latencies) {
        table.add(scenario, String.valueOf(result.tasks()), seconds(result), rate(result), latencies);
    }

    /** Creates the runs, starts one scheduler, and waits until they have all finished. */
    private Result scenario(ThrowawayDatabase database, String dagId, int runs, PrintWriter out)
            throws InterruptedException {
        DagRepository dags = database.dags();
        dags.setPaused(dagId, false);
        var creator = database.dagRunCreator();
        Instant base = Instant.parse("2020-01-01T00:00:00Z");
        for (int i = 0; i < runs; i++) {
            creator.trigger(dagId, Map.of(), base.plusSeconds(i), null);
        }
        out.printf("%s: %d runs created; running them ...%n", dagId, runs);
        out.flush();
        DagRunRepository dagRuns = database.dagRuns();
        Instant started = Instant.now();
        try (MetricsExport metrics = settings.recordsMetrics()
                        ? MetricsExport.start(database.config().metrics())
                        : null;
                SchedulerEngine engine = new SchedulerEngine(SchedulerContext.create(
                        database.config(),
                        database.database(),
                        Clock.systemUTC(),
                        metrics == null ? GustMetrics.off() : metrics.metrics()))) {
            engine.start();
            while (!dagRuns.listForDag(dagId, DagRunState.QUEUED, 1).isEmpty()
                    || !dagRuns.listForDag(dagId, DagRunState.RUNNING, 1).isEmpty()) {
                Thread.sleep(20);
            }
        }
        dags.setPaused(dagId, true);
        Instant[] span = database.jdbc()
                .queryOne("""
                SELECT min(start_date) AS first_start, max(end_date) AS last_end, count(*) AS n
                  FROM task_instance WHERE dag_id = :dagId AND state = :success""", Params.of("dagId", dagId).and("success", TaskState.SUCCESS), row -> new Instant[] {
                    Jdbc.instant(row, "first_start"),
                    Jdbc.instant(row, "last_end"),
                    Instant.ofEpochSecond(row.getLong("n"))
                })
                .orElseThrow();
        long failed = database.jdbc()
                .queryOne(
                        "SELECT count(*) FROM task_instance WHERE dag_id = :dagId AND state <> :success",
                        Params.of("dagId", dagId).and("success", TaskState.SUCCESS),
                        row -> row.getLong(1))
                .orElseThrow();
        if (failed > 0) {
            out.printf("warning: %d task instances of %s did not succeed%n", failed, dagId);
        }
        return new Result((int) span[2].getEpochSecond(), Duration.between(span[0], span[1]));
    }

    /** Milliseconds from each chain task's end to its downstream's start. */
    private static List<Long> chainLatencies(Jdbc jdbc, String dagId) {
        List<Long> latencies = new ArrayList<>(jdbc.query("""
                SELECT (extract(epoch FROM down.start_date - up.end_date) * 1000)::bigint AS ms
                  FROM task_instance up
                  JOIN task_instance down ON down.dag_id = up.dag_id AND down.run_id = up.run_id
                   AND down.task_id = 'step_' || (substring(up.task_id FROM 6)::int + 1)
                 WHERE up.dag_id = :dagId""", Params.of("dagId", dagId), row -> row.getLong("ms")));
        Collections.sort(latencies);
        return latencies;
    }

    /** Milliseconds from the mapped scenario's upstream end to the first of its instances' start: the expansion. */
    private static long expansionLatency(Jdbc jdbc, String dagId) {
        return jdbc.queryOne("""
                SELECT (extract(epoch FROM min(m.start_date) - max(u.end_date)) * 1000)::bigint AS ms
                  FROM task_instance u JOIN task_instance m ON m.dag_id = u.dag_id AND m.run_id = u.run_id
                 WHERE u.dag_id = :dagId AND u.task_id = 'list' AND m.task_id = 'each'""", Params.of("dagId", dagId), row -> row.getLong("ms"))
                .orElse(-1L);
    }

    /** Milliseconds from each task's start to its end: for a Python task, mostly the interpreter's start-up. */
    private static List<Long> taskDurations(Jdbc jdbc, String dagId) {
        List<Long> durations = new ArrayList<>(
                jdbc.query("""
                SELECT (extract(epoch FROM end_date - start_date) * 1000)::bigint AS ms
                  FROM task_instance WHERE dag_id = :dagId AND state = :success""", Params.of("dagId", dagId).and("success", TaskState.SUCCESS), row -> row.getLong("ms")));
        Collections.sort(durations);
        return durations;
    }

    private static String percentiles(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "";
        }
        return pick(sorted, 0.50) + " / " + pick(sorted, 0.95) + " / " + pick(sorted, 0.99);
    }

    private static long pick(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static String seconds(Result result) {
        return String.format(Locale.ROOT, "%.2f", result.wall().toMillis() / 1000.0);
    }

    private static String rate(Result result) {
        return String.format(Locale.ROOT, "%.0f", result.perSecond());
    }

    private String benchDags() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("bench_wide:\n  schedule: null\n  max_active_tasks: 100000\n  tasks:\n");
        for (int i = 0; i < settings.wideTasks(); i++) {
            yaml.append("    t").append(i).append(": {operator: empty}\n");
        }
        yaml.append("bench_chain:\n  schedule: null\n  max_active_runs: ")
                .append(settings.chainRuns())
                .append("\n  max_active_tasks: 100000\n  tasks:\n");
        appendTenTaskChain(yaml);
        yaml.append("bench_latency:\n  schedule: null\n  max_active_runs: 1\n  tasks:\n");
        appendTenTaskChain(yaml);
        // a scenario asked for 0 times has no DAG (a DAG without tasks does not load)
        if (settings.bashTasks() > 0) {
            yaml.append("bench_bash:\n  schedule: null\n  max_active_tasks: 100000\n  tasks:\n");
            for (int i = 0; i < settings.bashTasks(); i++) {
                yaml.append("    b").append(i).append(": {operator: bash, bash_command: 'true'}\n");
            }
        }
        if (settings.pythonTasks() > 0) {
            yaml.append("bench_python:\n  schedule: null\n  max_active_tasks: 100000\n  tasks:\n");
            for (int i = 0; i < settings.pythonTasks(); i++) {
                yaml.append("    p")
                        .append(i)
                        .append(": {operator: python, python_callable: bench_callables.trivial}\n");
            }
        }
        yaml.append("bench_python_chain:\n  schedule: null\n  tasks:\n");
        for (int i = 0; i < PYTHON_CHAIN; i++) {
            yaml.append("    c")
                    .append(i)
                    .append(": {operator: python, python_callable: bench_callables.trivial")
                    .append(i == 0 ? "" : ", dependencies: [c" + (i - 1) + "]")
                    .append("}\n");
        }
        // the mapped scenario: the upstream prints a JSON list of N commands, one instance each
        yaml.append("bench_mapped:\n  schedule: null\n  max_active_tasks: 100000\n  tasks:\n")
                .append("    list:\n      operator: bash\n      bash_command: |\n")
                .append("        echo \"[$(yes '\"true\"' | head -n ")
                .append(Math.max(1, settings.mappedInstances()))
                .append(" | paste -sd, -)]\"\n")
                .append("    each: {operator: bash, expand: {bash_command: +list}}\n");
        return yaml.toString();
    }

    /** The tasks of the chain and latency DAGs: step_0 to step_9, each depending on the one before. */
    private static void appendTenTaskChain(StringBuilder yaml) {
        for (int i = 0; i < 10; i++) {
            yaml.append("    step_")
                    .append(i)
                    .append(": {operator: empty")
                    .append(i == 0 ? "" : ", dependencies: [step_" + (i - 1) + "]")
                    .append("}\n");
        }
    }
}
