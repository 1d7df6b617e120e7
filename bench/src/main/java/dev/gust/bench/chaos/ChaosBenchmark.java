package dev.gust.bench.chaos;

import dev.gust.bench.BenchContext;
import dev.gust.bench.Figures;
import dev.gust.bench.ThrowawayDatabase;
import dev.gust.bench.Workspace;
import dev.gust.bench.evidence.Evidence;
import dev.gust.bench.evidence.Execution;
import dev.gust.bench.evidence.ExecutionLog;
import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Jdbc;
import dev.gust.core.store.Params;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code gust bench chaos}: the self-healing promise under fire. Real {@code gust scheduler}
 * processes run thousands of bash task instances on a throwaway embedded PostgreSQL while a
 * random scheduler is SIGKILLed every few seconds and a new one started in its place; every
 * fourth kill takes all of them at once, so that only restarted schedulers can carry on. Each
 * task appends its execution (task instance, try, pid, start time) to a file, which is the
 * evidence for the figures: task instances lost, tries executed twice, time from a kill to the
 * next task start (with a standby, and with only restarted schedulers), time to detect a zombie.
 */
public final class ChaosBenchmark implements Runnable {

    private static final String DAG_ID = "chaos";
    private static final int CHAINS = 8;
    private static final int CHAIN_LENGTH = 6;
    /** start + chains + end */
    public static final int TASKS_PER_RUN = CHAINS * CHAIN_LENGTH + 2;

    private static final int KILL_ALL_EVERY = 4;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** The options of {@code gust bench chaos}. */
    public record Settings(
            Duration chaosFor,
            int tasks,
            Duration interval,
            int schedulers,
            int parallelism,
            Duration zombies,
            Long seed) {}

    private final BenchContext context;
    private final Duration chaosFor;
    private final int tasks;
    private final Duration interval;
    private final int schedulers;
    private final int parallelism;
    private final Duration zombies;
    private final Long seed;

    public ChaosBenchmark(BenchContext context, Settings settings) {
        this.context = context;
        this.chaosFor = settings.chaosFor();
        this.tasks = settings.tasks();
        this.interval = settings.interval();
        this.schedulers = settings.schedulers();
        this.parallelism = settings.parallelism();
        this.zombies = settings.zombies();
        this.seed = settings.seed();
    }

    private final List<Scheduler> running = new CopyOnWriteArrayList<>();
    private Workspace workspace;
    private Path work;
    private ExecutionLog executionLog;

    @Override
    public void run() {
        long actualSeed = seed != null ? seed : new SecureRandom().nextLong();
        Random random = new Random(actualSeed);
        PrintWriter out = context.out();
        workspace = Workspace.create();
        work = workspace.root();
        executionLog = new ExecutionLog(work.resolve("executions.log"));
        Thread cleanup = new Thread(this::killAll, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Path dags = Files.createDirectories(work.resolve("dags"));
            int runs = (tasks + TASKS_PER_RUN - 1) / TASKS_PER_RUN;
            Files.writeString(dags.resolve("chaos.yaml"), dagYaml());
            String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
            GustConfig config = workspace.config(
                    dags,
                    Map.of("GUST_SECURITY__ENCRYPTION_KEY", key, "GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "false"));
            out.printf(
                    "chaos: %d runs of %d bash tasks (%d task instances), %d schedulers of parallelism %d, a kill every %ds"
                            + " for %ds, zombie threshold %ds, seed %d%n",
                    runs,
                    TASKS_PER_RUN,
                    runs * TASKS_PER_RUN,
                    schedulers,
                    parallelism,
                    interval.toSeconds(),
                    chaosFor.toSeconds(),
                    zombies.toSeconds(),
                    actualSeed);
            out.println("starting a throwaway embedded PostgreSQL ...");
            out.flush();
            try (ThrowawayDatabase database = workspace.open(context, config)) {
                try (DagFolderSync sync = database.dagFolderSync()) {
                    sync.sync();
                }
                database.dags().setPaused(DAG_ID, false);
                DagRunCreator creator = database.dagRunCreator();
                Instant base = Instant.parse("2020-01-01T00:00:00Z");
                for (int i = 0; i < runs; i++) {
                    creator.trigger(DAG_ID, Map.of(), base.plusSeconds(i), null);
                }
                String url = database.database().embeddedServer().orElseThrow().jdbcUrlWithCredentials();
                Map<String, String> env = childEnvironment(dags, key, url, zombies);
                String loadBefore = loadAverage();
                Report report = chaos(database.jdbc(), env, chaosFor, interval, random, runs, out);
                report.loadBefore = loadBefore;
                report.loadAfter = loadAverage();
                print(report, database.jdbc(), runs, zombies, actualSeed, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            killAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            workspace.close();
        }
    }

    /** What happened during the chaos, for the table. */
    private static final class Report {
        final List<Kill> kills = new ArrayList<>();
        final List<Long> readyMillis = new ArrayList<>();
        Duration chaos;
        Duration total;
        String loadBefore;
        String loadAfter;
        boolean finished;
    }

    /**
     * One kill: when, whether it took every scheduler, the tries that were running in its victims,
     * whether a scheduler that had finished starting survived it (a standby), and the schedulers
     * that had not finished starting then (the replacements, and survivors still starting).
     */
    private record Kill(Instant at, boolean all, Set<String> orphans, boolean standbyReady, List<Scheduler> starting) {}

    private Report chaos(
            Jdbc jdbc,
            Map<String, String> env,
            Duration chaosFor,
            Duration interval,
            Random random,
            int runs,
            PrintWriter out)
            throws IOException, InterruptedException {
        Report report = new Report();
        Instant start = Instant.now();
        for (int i = 0; i < schedulers; i++) {
            running.add(Scheduler.start(context.gustCommand(), env, work, report.readyMillis));
        }
        Instant chaosEnd = start.plus(chaosFor);
        Instant nextKill = start.plus(interval);
        Instant nextProgress = start.plus(PROGRESS_EVERY);
        while (Instant.now().isBefore(chaosEnd) && finishedRuns(jdbc) < runs) {
            if (!Instant.now().isBefore(nextKill)) {
                boolean all = (report.kills.size() + 1) % KILL_ALL_EVERY == 0;
                report.kills.add(kill(jdbc, env, all, random, report));
                nextKill = Instant.now().plus(interval);
            }
            if (!Instant.now().isBefore(nextProgress)) {
                progress(jdbc, start, report, runs, out);
                nextProgress = nextProgress.plus(PROGRESS_EVERY);
            }
            Thread.sleep(50);
        }
        report.chaos = Duration.between(start, Instant.now());
        out.printf(
                "chaos over after %ds and %d kills; letting the workload finish ...%n",
                report.chaos.toSeconds(), report.kills.size());
        out.flush();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (finishedRuns(jdbc) < runs && Instant.now().isBefore(deadline)) {
            if (!Instant.now().isBefore(nextProgress)) {
                progress(jdbc, start, report, runs, out);
                nextProgress = nextProgress.plus(PROGRESS_EVERY);
            }
            Thread.sleep(200);
        }
        report.finished = finishedRuns(jdbc) == runs;
        report.total = Duration.between(start, Instant.now());
        for (Scheduler scheduler : running) {
            scheduler.process.destroy();
        }
        for (Scheduler scheduler : running) {
            if (!scheduler.process.waitFor(60, TimeUnit.SECONDS)) {
                scheduler.process.destroyForcibly();
            }
        }
        running.clear();
        return report;
    }

    /** SIGKILL to one random scheduler (or all), then as many new ones started in their place. */
    private Kill kill(Jdbc jdbc, Map<String, String> env, boolean all, Random random, Report report)
            throws IOException, InterruptedException {
        List<Scheduler> victims = all ? List.copyOf(running) : List.of(running.get(random.nextInt(running.size())));
        for (Scheduler victim : victims) {
            victim.process.destroyForcibly(); // SIGKILL on Linux and macOS
        }
        Instant at = Instant.now();
        for (Scheduler victim : victims) {
            victim.process.waitFor(10, TimeUnit.SECONDS);
            running.remove(victim);
        }
        Set<String> orphans = new HashSet<>();
        for (Scheduler victim : victims) {
            orphans.addAll(jdbc.query(
                    "SELECT run_id || ' ' || task_id || ' ' || try_number FROM task_instance"
                            + " WHERE state = 'running' AND pid = :pid",
                    Params.of("pid", (int) victim.process.pid()),
                    r -> r.getString(1)));
        }
        boolean standbyReady = running.stream().anyMatch(s -> s.readyAt != null);
        List<Scheduler> starting =
                new ArrayList<>(running.stream().filter(s -> s.readyAt == null).toList());
        for (int i = 0; i < victims.size(); i++) {
            Scheduler replacement = Scheduler.start(context.gustCommand(), env, work, report.readyMillis);
            starting.add(replacement);
            running.add(replacement);
        }
        return new Kill(at, all, orphans, standbyReady, starting);
    }

    private void progress(Jdbc jdbc, Instant start, Report report, int runs, PrintWriter out) {
        Map<String, Integer> states = new HashMap<>();
        jdbc.query(
                "SELECT state, count(*) AS n FROM task_instance GROUP BY state",
                Params.none(),
                r -> states.put(r.getString("state"), r.getInt("n")));
        out.printf(
                "  %4ds  kills %3d  success %5d / %d  running %3d  queued %3d  up_for_retry %3d  runs finished %d / %d%n",
                Duration.between(start, Instant.now()).toSeconds(),
                report.kills.size(),
                states.getOrDefault("success", 0),
                runs * TASKS_PER_RUN,
                states.getOrDefault("running", 0),
                states.getOrDefault("queued", 0),
                states.getOrDefault("up_for_retry", 0),
                finishedRuns(jdbc),
                runs);
        out.flush();
    }

    private static int finishedRuns(Jdbc jdbc) {
        return jdbc.queryOne(
                        "SELECT count(*) FROM dag_run WHERE state IN ('success', 'failed')",
                        Params.none(),
                        r -> r.getInt(1))
                .orElse(0);
    }

    private void print(Report report, Jdbc jdbc, int runs, Duration zombies, long actualSeed, PrintWriter out)
            throws IOException {
        List<Execution> executions = executionLog.read();
        Evidence evidence = Evidence.gather(jdbc, executions);
        int taskInstances = runs * TASKS_PER_RUN;
        int succeeded = evidence.taskInstances() - evidence.notSucceeded().size();

        List<Long> standby = new ArrayList<>();
        List<Long> restartOnly = new ArrayList<>();
        List<Long> restartReady = new ArrayList<>();
        List<Long> readyToStart = new ArrayList<>();
        List<Long> detectionWithStandby = new ArrayList<>();
        List<Long> detectionRestartOnly = new ArrayList<>();
        Map<String, List<Instant>> zombieEvents = zombieEvents(jdbc);
        List<Long> starts =
                executions.stream().map(Execution::startedMillis).sorted().toList();
        for (Kill kill : report.kills) {
            long killedAt = kill.at().toEpochMilli();
            Optional<Long> nextStart = nextStartAfter(starts, killedAt);
            if (kill.standbyReady()) {
                nextStart.ifPresent(ms -> standby.add(ms - killedAt));
            } else {
                nextStart.ifPresent(ms -> restartOnly.add(ms - killedAt));
                Optional<Instant> ready = kill.starting().stream()
                        .map(s -> s.readyAt)
                        .filter(java.util.Objects::nonNull)
                        .filter(at -> at.isAfter(kill.at()))
                        .min(Instant::compareTo);
                ready.ifPresent(at -> restartReady.add(at.toEpochMilli() - killedAt));
                if (ready.isPresent() && nextStart.isPresent()) {
                    readyToStart.add(Math.max(0, nextStart.get() - ready.get().toEpochMilli()));
                }
            }
            for (String orphan : kill.orphans()) {
                String taskInstance = orphan.substring(0, orphan.lastIndexOf(' '));
                zombieEvents.getOrDefault(taskInstance, List.of()).stream()
                        .filter(at -> at.isAfter(kill.at()))
                        .findFirst()
                        .ifPresent(detected -> (kill.standbyReady() ? detectionWithStandby : detectionRestartOnly)
                                .add(Duration.between(kill.at(), detected).toMillis()));
            }
        }
        Figures table = new Figures("measure", "value", "target");
        table.add(
                "kills survived (every " + KILL_ALL_EVERY + "th of all at once)",
                report.kills.size() + " ("
                        + report.kills.stream().filter(Kill::all).count() + " of all at once)",
                "");
        table.add("chaos / total wall time (s)", report.chaos.toSeconds() + " / " + report.total.toSeconds(), "");
        table.add("task instances", String.valueOf(taskInstances), "");
        table.add("task instances lost (not success)", String.valueOf(taskInstances - succeeded), "0");
        table.add(
                "successes whose final try never ran",
                String.valueOf(evidence.successNeverRan().size()),
                "0");
        table.add(
                "tries executed twice", String.valueOf(evidence.executedTwice().size()), "0");
        table.add("executions (orphans' retries too)", String.valueOf(executions.size()), "");
        table.add(
                "kills with a ready standby",
                String.valueOf(report.kills.stream().filter(Kill::standbyReady).count()),
                "");
        table.add("  kill -> next task start (ms p50 / max)", stats(standby), "< 5000");
        table.add(
                "  kill -> zombie detected (ms p50 / max), threshold " + zombies.toSeconds() + "s",
                stats(detectionWithStandby),
                "threshold + 5 s");
        table.add(
                "kills leaving no ready scheduler",
                String.valueOf(
                        report.kills.stream().filter(k -> !k.standbyReady()).count()),
                "");
        table.add("  kill -> a scheduler ready (ms p50 / max)", stats(restartReady), "");
        table.add("  ready -> next task start (ms p50 / max)", stats(readyToStart), "< 5000");
        table.add("  kill -> next task start (ms p50 / max)", stats(restartOnly), "JVM start + < 5000");
        table.add(
                "  kill -> zombie detected (ms p50 / max), threshold " + zombies.toSeconds() + "s",
                stats(detectionRestartOnly),
                "JVM + threshold + 5 s");
        table.add("JVM start -> scheduler ready (ms p50 / max)", stats(new ArrayList<>(report.readyMillis)), "");
        table.add("load average 1/5/15 min, before / after", report.loadBefore + " / " + report.loadAfter, "");
        out.println();
        context.printTable().accept(table);
        out.printf(
                "machine: %d CPUs, Java %s; %d schedulers of parallelism %d; seed %d%s%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                schedulers,
                parallelism,
                actualSeed,
                report.finished ? "" : "; WARNING: the workload did not finish within 10 minutes after the chaos");
        out.flush();
    }

    /**
     * When the zombie sweep took each orphaned try: the first zombie_detected event of its task
     * instance after the kill (a dead runner never records anything, so that event is this try's).
     */
    private static Map<String, List<Instant>> zombieEvents(Jdbc jdbc) {
        Map<String, List<Instant>> events = new HashMap<>();
        jdbc.query(
                "SELECT run_id, task_id, dttm FROM log WHERE event = 'zombie_detected' ORDER BY dttm",
                Params.none(),
                r -> events.computeIfAbsent(
                                r.getString("run_id") + " " + r.getString("task_id"), k -> new ArrayList<>())
                        .add(Jdbc.instant(r, "dttm")));
        return events;
    }

    private static Optional<Long> nextStartAfter(List<Long> sortedStarts, long millis) {
        int index = Collections.binarySearch(sortedStarts, millis + 1);
        int at = index >= 0 ? index : -index - 1;
        return at < sortedStarts.size() ? Optional.of(sortedStarts.get(at)) : Optional.empty();
    }

    private static String stats(List<Long> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2) + " / " + sorted.getLast() + " (n=" + sorted.size() + ")";
    }

    /**
     * One run: start, {@link #CHAINS} chains of {@link #CHAIN_LENGTH} bash tasks that each record
     * their start and sleep 0.2 to 1.6 s, and end; retries enough that being orphaned by kills
     * never exhausts them.
     */
    private String dagYaml() {
        StringBuilder yaml = new StringBuilder();
        yaml.append(DAG_ID)
                .append(":\n  schedule: null\n  max_active_tasks: 10000\n  default_args:\n")
                .append("    start_date: 2020-01-01\n    retries: 10\n    retry_delay: 1s\n  tasks:\n");
        String record = executionLog.recordCommand();
        yaml.append("    start: {operator: bash, bash_command: '")
                .append(record)
                .append("'}\n");
        List<String> lasts = new ArrayList<>();
        for (int chain = 0; chain < CHAINS; chain++) {
            String previous = "start";
            for (int step = 0; step < CHAIN_LENGTH; step++) {
                String id = "c" + chain + "_" + step;
                String sleep = String.format(Locale.ROOT, "%.1f", 0.2 + ((chain * CHAIN_LENGTH + step) % 8) * 0.2);
                yaml.append("    ")
                        .append(id)
                        .append(": {operator: bash, bash_command: '")
                        .append(record)
                        .append(" && sleep ")
                        .append(sleep)
                        .append("', dependencies: [")
                        .append(previous)
                        .append("]}\n");
                previous = id;
            }
            lasts.add(previous);
        }
        yaml.append("    end: {operator: bash, bash_command: '")
                .append(record)
                .append("', dependencies: [")
                .append(String.join(", ", lasts))
                .append("]}\n");
        return yaml.toString();
    }

    private Map<String, String> childEnvironment(Path dags, String key, String databaseUrl, Duration zombies) {
        Map<String, String> env = new HashMap<>();
        env.put("GUST_CORE__HOME", work.resolve("scheduler-home").toString());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "false");
        env.put("GUST_CORE__PARALLELISM", String.valueOf(parallelism));
        env.put("GUST_CORE__MAX_ACTIVE_TASKS_PER_DAG", "10000");
        env.put("GUST_DATABASE__URL", databaseUrl);
        env.put("GUST_SECURITY__ENCRYPTION_KEY", key);
        env.put("GUST_SCHEDULER__HEALTH_PORT", "0");
        env.put("GUST_SCHEDULER__HEARTBEAT_INTERVAL", "1s");
        env.put("GUST_SCHEDULER__ZOMBIE_THRESHOLD", zombies.toSeconds() + "s");
        return env;
    }

    private void killAll() {
        for (Scheduler scheduler : running) {
            scheduler.process.destroyForcibly();
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * A {@code gust scheduler} process started with {@link BenchContext#gustCommand()} (the CLI
     * gives a JVM on its own class path, so that SIGKILL hits the JVM itself, not a launcher
     * script), with its output in the work folder; {@code readyAt} is
     * when it printed that it runs.
     */
    private static final class Scheduler {
        final Process process;
        final Instant spawnedAt = Instant.now();
        volatile Instant readyAt;

        private Scheduler(Process process) {
            this.process = process;
        }

        static Scheduler start(List<String> gust, Map<String, String> env, Path work, List<Long> readyMillis)
                throws IOException {
            Path log = Files.createTempFile(work, "scheduler-", ".log");
            List<String> command = new ArrayList<>(gust);
            command.add("scheduler");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("GUST_"));
            builder.environment().putAll(env);
            Scheduler scheduler = new Scheduler(builder.start());
            Thread.ofVirtual().name("chaos-ready-" + scheduler.process.pid()).start(() -> {
                while (scheduler.process.isAlive()) {
                    try {
                        if (Files.readString(log).contains("gust: scheduler running")) {
                            scheduler.readyAt = Instant.now();
                            synchronized (readyMillis) {
                                readyMillis.add(Duration.between(scheduler.spawnedAt, scheduler.readyAt)
                                        .toMillis());
                            }
                            return;
                        }
                        Thread.sleep(50);
                    } catch (IOException e) {
                        return;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            return scheduler;
        }
    }
}
