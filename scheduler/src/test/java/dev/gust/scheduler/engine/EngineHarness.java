package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.metrics.GustMetrics;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Stores;
import dev.gust.core.store.pools.Pool;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The engine on a fresh real PostgreSQL database, for the {@code Engine*} tests: DAG YAML text is
 * written into a temporary DAG folder and synced into the database exactly as the scheduler
 * does; a run is executed in-process with {@link SingleRunExecution}, or whole
 * {@link SchedulerEngine}s are started. Tasks are real bash subprocesses; they leave evidence of
 * what they did in files under {@link #dir()} (see {@link #record}). A test holds one per test
 * as a {@code @RegisterExtension} field, which closes it after each test (after the test's own
 * {@code @AfterEach}); one that builds it with settings inside a test closes it itself.
 */
final class EngineHarness implements AutoCloseable, AfterEachCallback {

    private final TestDatabase db;
    private final Path dir;
    private final Path dagsFolder;
    private final GustConfig config;
    private final Stores stores;
    private final DagFolderSync sync;
    private final List<SchedulerEngine> engines = new ArrayList<>();

    private EngineHarness(Map<String, String> settings) {
        try {
            dir = Files.createTempDirectory("gust-engine-test-");
            dagsFolder = Files.createDirectories(dir.resolve("dags"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        // Task subprocesses inherit this environment (PATH for bash, date, sleep), not the JVM's.
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("GUST_")) {
                env.put(k, v);
            }
        });
        env.put("GUST_CORE__HOME", dir.resolve("home").toString());
        env.put("GUST_CORE__DAGS_FOLDER", dagsFolder.toString());
        env.put("GUST_CORE__PARALLELISM", "16");
        env.putAll(settings);
        config = GustConfig.load(null, env);
        db = TestDatabase.create();
        DagFolderScanner scanner =
                new DagFolderScanner(dagsFolder, DagFolderScanner.Settings.defaults(), new DagFileParser());
        stores = Stores.open(db.jdbc(), config);
        sync = new DagFolderSync(scanner, stores.dags(), stores.importErrors(), stores.dagWarnings(), config.core());
    }

    /**
     * Fails, saying what to install, when no python3 is found as a task finds it: for the tests
     * that run real Python tasks ({@code debianPackages}: what Debian calls what they need).
     */
    static void requirePython(String debianPackages) {
        GustConfig config = GustConfig.load(null, Map.of("PATH", System.getenv("PATH")));
        assertThat(config.python().locate(config.taskEnvironment()))
                .as("these tests run a real python3: install it (Debian: apt-get install " + debianPackages
                        + ", or scripts/install-test-deps.sh)")
                .isPresent();
    }

    /** A harness with the default settings (parallelism 16). */
    static EngineHarness create() {
        return new EngineHarness(Map.of());
    }

    /** A harness with these configuration settings, e.g. {@code GUST_CORE__PARALLELISM=1}. */
    static EngineHarness create(Map<String, String> settings) {
        return new EngineHarness(settings);
    }

    /** A temporary folder for the files tasks write; deleted on close. */
    Path dir() {
        return dir;
    }

    GustConfig config() {
        return config;
    }

    TestDatabase db() {
        return db;
    }

    /** The repositories, opened as a scheduler opens them (same secret key, same task log cap). */
    Stores stores() {
        return stores;
    }

    /** A scheduler process's parts on the harness's database and settings, as {@code gust scheduler} builds them. */
    SchedulerContext context() {
        return context(GustMetrics.off());
    }

    /** As {@link #context()}, recording into {@code metrics}. */
    SchedulerContext context(GustMetrics metrics) {
        return SchedulerContext.create(config, db.database(), Clock.systemUTC(), metrics);
    }

    /** The DAG folder's sync into the database, as {@link #dag} runs it. */
    DagFolderSync folderSync() {
        return sync;
    }

    /**
     * Writes a file the DAGs use into the DAG folder, e.g. {@code callables/tasks.py}, a module their
     * callables come from; not synced (the next {@link #dag} syncs).
     */
    Path dagFolderFile(String relativePath, String content) throws IOException {
        Path file = dagsFolder.resolve(relativePath);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Writes a DAG file and syncs the folder into the database; fails on any import error. */
    void dag(String fileName, String yaml) {
        try {
            Files.writeString(dagsFolder.resolve(fileName), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DagFolderSync.SyncOutcome outcome = sync.sync();
        if (outcome.importErrors() > 0) {
            throw new AssertionError("the test DAG " + fileName + " does not load: "
                    + stores.importErrors().list() + "\n" + yaml);
        }
    }

    void unpause(String dagId) {
        if (!stores.dags().setPaused(dagId, false)) {
            throw new AssertionError("no DAG " + dagId + " to unpause");
        }
    }

    void pool(String name, int slots) {
        stores.pools().set(new Pool(name, slots, "test pool"));
    }

    /**
     * Writes a DAG {@code dagId} of one task of the same name, which runs {@code command} with
     * {@code retries} one second apart and {@code moreSetting} (one more task setting, or none),
     * and a task {@code after} that depends on it.
     */
    void retriedTaskDag(String dagId, String command, int retries, String moreSetting) {
        dag(dagId + ".yaml", """
                %1$s:
                  schedule: null
                  tasks:
                    %1$s:
                      operator: bash
                      bash_command: %2$s
                %3$s      retries: %4$d
                      retry_delay: 1s
                    after: {operator: bash, bash_command: 'exit 0', dependencies: [%1$s]}
                """.formatted(
                        dagId, yaml(command), moreSetting.isEmpty() ? "" : "      " + moreSetting + "\n", retries));
    }

    /** Runs a manual run of the DAG to its end in this process, as {@code gust dags test} does. */
    DagRun run(String dagId) throws InterruptedException {
        return run(dagId, Map.of(), null);
    }

    DagRun run(String dagId, Map<String, Object> conf, Instant logicalDate) throws InterruptedException {
        return new SingleRunExecution(context()).run(dagId, logicalDate, conf);
    }

    /**
     * Unpauses the DAG and triggers a manual run of it (logical date 2024-01-01), as a user
     * does, for a running scheduler to pick up.
     */
    DagRun trigger(String dagId) {
        unpause(dagId);
        DagRunRepository runs = stores.dagRuns();
        String runId = new DagRunCreator(runs, new DagDefinitions(stores.dags()), false, Clock.systemUTC())
                .trigger(dagId, Map.of(), Instant.parse("2024-01-01T00:00:00Z"), "test");
        return runs.find(dagId, runId).orElseThrow();
    }

    /** Starts a whole scheduler on the database with the harness's settings; closed with the harness. */
    SchedulerEngine startEngine() {
        return startEngine(GustMetrics.off());
    }

    /** As {@link #startEngine()}, recording into {@code metrics}. */
    SchedulerEngine startEngine(GustMetrics metrics) {
        SchedulerEngine engine = new SchedulerEngine(context(metrics));
        engines.add(engine);
        engine.start();
        return engine;
    }

    /** The task states of a run, by task id. */
    Map<String, TaskState> states(DagRun run) {
        return taskInstances(run).stream()
                .collect(Collectors.toMap(TaskInstance::taskId, TaskInstance::state, (a, b) -> a, TreeMap::new));
    }

    List<TaskInstance> taskInstances(DagRun run) {
        return stores.taskInstances().listForRun(run.dagId(), run.runId());
    }

    TaskInstance ti(DagRun run, String taskId) {
        return stores.taskInstances()
                .find(TaskInstanceKey.of(run.dagId(), run.runId(), taskId))
                .orElseThrow(() -> new AssertionError("no task instance " + taskId + " in " + run.runId()));
    }

    /** The stored log of one try. */
    String log(DagRun run, String taskId, int tryNumber) {
        return stores.taskLogs().read(TaskInstanceKey.of(run.dagId(), run.runId(), taskId), tryNumber);
    }

    List<DagRun> runs(String dagId) {
        return stores.dagRuns().listForDag(dagId, null, 1000);
    }

    DagRun reload(DagRun run) {
        return stores.dagRuns().find(run.dagId(), run.runId()).orElseThrow();
    }

    /** Waits for a run a started scheduler works on to reach a final state. */
    DagRun awaitFinished(DagRun run, Duration deadline) throws InterruptedException {
        return await(
                deadline, "the run to finish", () -> reload(run), r -> r.state().isFinished());
    }

    /** Waits for a task instance of the run to exist and meet {@code condition}. */
    TaskInstance awaitTask(
            DagRun run,
            String taskId,
            Duration deadline,
            String what,
            java.util.function.Predicate<TaskInstance> condition)
            throws InterruptedException {
        TaskInstanceKey key = TaskInstanceKey.of(run.dagId(), run.runId(), taskId);
        return await(
                deadline,
                what,
                () -> stores.taskInstances().find(key).orElse(null),
                ti -> ti != null && condition.test(ti));
    }

    /** Whether a process lives and is not a zombie (a killed orphan may stay unreaped here). */
    static boolean isRunning(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** Polls {@code condition} until it holds; fails after {@code deadline} (a functional deadline, not a speed check). */
    static <T> T await(Duration deadline, String what, Supplier<T> value, java.util.function.Predicate<T> condition)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        T last = value.get();
        while (!condition.test(last)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("gave up after " + deadline + " waiting for " + what + "; last seen: " + last);
            }
            Thread.sleep(100);
            last = value.get();
        }
        return last;
    }

    /**
     * A bash snippet appending {@code "<task id> <try number> <event> <epoch nanos>"} to {@code file}:
     * how tasks tell the test what really ran, when.
     */
    static String record(Path file, String event) {
        return "echo \"$GUST_CTX_TASK_ID $GUST_CTX_TRY_NUMBER " + event + " $(date +%s%N)\" >> " + file;
    }

    /** One line written by {@link #record}. */
    record Event(String taskId, int tryNumber, String what, long nanos) {}

    static List<Event> events(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> !l.isBlank())
                    .map(l -> l.split(" "))
                    .map(p -> new Event(p[0], Integer.parseInt(p[1]), p[2], Long.parseLong(p[3])))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The most tasks running at once according to the "start"/"end" events of {@code file}
     * (each task's start and end being the first and last thing its command does).
     */
    static int maxOverlap(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events.stream()
                .filter(e -> e.what().equals("start") || e.what().equals("end"))
                .toList());
        // At an equal instant an end comes before a start: touching intervals do not overlap.
        sorted.sort(Comparator.comparingLong(Event::nanos)
                .thenComparing(e -> e.what().equals("start")));
        int current = 0;
        int max = 0;
        for (Event e : sorted) {
            current += e.what().equals("start") ? 1 : -1;
            max = Math.max(max, current);
        }
        return max;
    }

    /** Quotes text for a single-quoted YAML scalar. */
    static String yaml(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (SchedulerEngine engine : engines) {
            try {
                engine.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        sync.close();
        db.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
        if (failure != null) {
            throw failure;
        }
    }
}
