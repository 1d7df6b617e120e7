package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash tests of the self-healing promise: real {@code gust scheduler} processes run a DAG of
 * bash tasks against a real PostgreSQL and are killed with SIGKILL in the middle of the work.
 * Every task appends each execution (task, run, try, pid) to a file, which the test loads into
 * a table beside the task instances, so that it can tell afterwards that every run finished, that
 * every task succeeded, and that no try of a task was executed twice.
 */
class SchedulerCrashIT {

    private static final String DAG_ID = "crash_workload";
    private static final int RUNS = 3;
    private static final Duration FINISH_DEADLINE = Duration.ofSeconds(90);
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @TempDir
    Path dags;

    TestDatabase db;
    Map<String, String> env;
    int taskCount;
    final List<GustProcess> processes = new ArrayList<>();
    final long seed = System.nanoTime();
    final Random random = new Random(seed);

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        db.jdbc().update("CREATE TABLE crash_execution (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " dag_id text NOT NULL, task_id text NOT NULL, run_id text NOT NULL, try_number integer NOT NULL,"
                + " pid integer NOT NULL, recorded_at timestamptz NOT NULL DEFAULT clock_timestamp())", Params.none());
        writeDag();
        env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", db.url());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "false");
        env.put("GUST_SCHEDULER__ZOMBIE_THRESHOLD", "3s");
        env.put("GUST_SCHEDULER__HEARTBEAT_INTERVAL", "1s");
        // An external database gets no generated key: every process must share one, as in ECS.
        byte[] key = new byte[32];
        random.nextBytes(key);
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
        System.out.println("SchedulerCrashIT seed " + seed);

        check(GustProcess.run(env, "dags", "reserialize"));
        check(GustProcess.run(env, "dags", "unpause", DAG_ID));
        for (int i = 1; i <= RUNS; i++) {
            check(GustProcess.run(env, "dags", "trigger", DAG_ID, "--logical-date", "2024-01-0" + i));
        }
    }

    @AfterEach
    void tearDown() {
        processes.forEach(GustProcess::close);
        if (db != null) {
            db.close();
        }
    }

    /** Three kills at most; retries: 4 leaves one try of headroom should an overloaded CI machine also see a false zombie. */
    @Test
    void aSchedulerKilledThreeTimesAndRestartedFinishesEveryRun() throws Exception {
        int kills = 3;
        GustProcess scheduler = startScheduler();
        for (int kill = 1; kill <= kills; kill++) {
            long pid = scheduler.process().pid();
            int executionsAtStart = executions();
            if (kill == 2) {
                // Blind: somewhere in its first seconds, claiming, looping or sweeping.
                GustProcess current = scheduler;
                awaitOrFail("scheduler " + pid + " started", FINISH_DEADLINE, () -> started(current), scheduler);
                Thread.sleep(300 + random.nextInt(2700));
            } else {
                awaitOrFail("scheduler " + pid + " runs tasks before kill " + kill, FINISH_DEADLINE,
                        () -> executions() >= executionsAtStart + 6 && runningIn(pid) > 0, scheduler);
                Thread.sleep(random.nextInt(700));
            }
            Set<String> orphaned = killJvm(scheduler);
            Instant killedAt = Instant.now();
            System.out.printf("kill %d: SIGKILL to scheduler pid %d with %d task instances running: %s%n",
                    kill, pid, orphaned.size(), orphaned);

            scheduler = startScheduler();
            awaitRecovery(orphaned, killedAt, scheduler);
        }
        awaitAllRunsFinished(scheduler);
        assertWorkloadDoneExactlyOnce();
    }

    @Test
    void whenOneOfTwoSchedulersIsKilledTheOtherFinishesEverything() throws Exception {
        GustProcess first = startScheduler();
        GustProcess second = startScheduler();
        awaitOrFail("both schedulers started and tasks run", FINISH_DEADLINE,
                () -> started(first) && started(second) && executions() >= 10
                        && runningIn(first.process().pid()) + runningIn(second.process().pid()) > 0, first);
        // Whichever claimed the work first (they race for it) is the one whose death matters.
        int firstRunning = runningIn(first.process().pid());
        int secondRunning = runningIn(second.process().pid());
        boolean killFirst = firstRunning > 0 && (secondRunning == 0 || random.nextBoolean());
        GustProcess victim = killFirst ? first : second;
        GustProcess survivor = killFirst ? second : first;
        long victimPid = victim.process().pid();
        Thread.sleep(random.nextInt(500));
        Set<String> orphaned = killJvm(victim);
        Instant killedAt = Instant.now();
        System.out.printf("SIGKILL to scheduler pid %d with %d task instances running: %s%n", victimPid, orphaned.size(), orphaned);

        awaitRecovery(orphaned, killedAt, survivor);
        awaitAllRunsFinished(survivor);
        assertWorkloadDoneExactlyOnce();
        assertThat(db.jdbc().queryOne("SELECT count(*) FROM task_instance WHERE pid = :pid",
                Params.of("pid", (int) survivor.process().pid()), r -> r.getInt(1)).orElse(0))
                .as("the survivor ran the orphaned tasks' retries at least").isGreaterThanOrEqualTo(orphaned.size());
    }

    // --- the workload --------------------------------------------------------------------------

    /** Chains and fan-outs of bash tasks, each recording its execution in a file, then sleeping. */
    private void writeDag() throws IOException {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("start", List.of());
        String previous = "start";
        for (int i = 1; i <= 6; i++) {
            tasks.put("chain_a" + i, List.of(previous));
            previous = "chain_a" + i;
        }
        List<String> fan = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            tasks.put("fan_b" + i, List.of("start"));
            fan.add("fan_b" + i);
        }
        tasks.put("join_b", fan);
        previous = "join_b";
        for (int i = 1; i <= 5; i++) {
            tasks.put("chain_c" + i, List.of(previous));
            previous = "chain_c" + i;
        }
        List<String> end = new ArrayList<>(List.of("chain_c5"));
        for (int i = 1; i <= 5; i++) {
            tasks.put("fan_d" + i, List.of("chain_a6"));
            end.add("fan_d" + i);
        }
        tasks.put("end", end);
        taskCount = tasks.size();

        StringBuilder yaml = new StringBuilder();
        yaml.append(DAG_ID).append(":\n")
                .append("  schedule: null\n")
                .append("  default_args:\n")
                .append("    start_date: 2024-01-01\n")
                .append("    retries: 4\n")
                .append("    retry_delay: 1s\n")
                .append("  tasks:\n");
        int index = 0;
        for (var task : tasks.entrySet()) {
            String sleep = "0." + (3 + index++ % 8);
            yaml.append("    ").append(task.getKey()).append(":\n")
                    .append("      operator: bash\n")
                    .append("      bash_command: |-\n")
                    .append("        echo \"{{ dag.dag_id }} {{ ti.task_id }} {{ run_id }} {{ ti.try_number }} $$\" >> ")
                    .append(executionsFile()).append(" && sleep ").append(sleep).append("\n");
            if (!task.getValue().isEmpty()) {
                yaml.append("      dependencies: [").append(String.join(", ", task.getValue())).append("]\n");
            }
        }
        Files.writeString(dags.resolve("crash_workload.yaml"), yaml.toString());
    }

    // --- processes -----------------------------------------------------------------------------

    private GustProcess startScheduler() throws IOException {
        GustProcess scheduler = GustProcess.start(env, "scheduler");
        processes.add(scheduler);
        return scheduler;
    }

    /**
     * SIGKILL to the scheduler's JVM only: the launcher execs sh, which execs java, so the
     * started process is the JVM. Its bash tasks live in their own process groups and may outlive
     * it as orphans, as they would when a container's main process dies. Returns the task
     * instances (run/task/try) that were running in it.
     */
    private Set<String> killJvm(GustProcess scheduler) throws Exception {
        ProcessHandle jvm = scheduler.process().toHandle();
        assertThat(jvm.info().command()).as("the launcher execs into the JVM").hasValueSatisfying(c -> assertThat(c).endsWith("java"));
        Process kill = new ProcessBuilder("kill", "-9", String.valueOf(jvm.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        assertThat(scheduler.process().waitFor(10, TimeUnit.SECONDS)).as("the JVM died").isTrue();
        assertThat(scheduler.process().exitValue()).isEqualTo(137);
        return new HashSet<>(db.jdbc().query("SELECT run_id, task_id, try_number FROM task_instance WHERE state = 'running' AND pid = :pid",
                Params.of("pid", (int) jvm.pid()), r -> r.getString(1) + "/" + r.getString(2) + "/" + r.getInt(3)));
    }

    /** The task instances that ran in a dead process leave that try (zombie sweep) within the deadline. */
    private void awaitRecovery(Set<String> orphaned, Instant killedAt, GustProcess live) throws Exception {
        awaitOrFail("the tries orphaned by the kill are swept: " + orphaned, RECOVERY_DEADLINE, () -> {
            Set<String> stillRunning = new HashSet<>(db.jdbc().query(
                    "SELECT run_id, task_id, try_number FROM task_instance WHERE state = 'running'", Params.none(),
                    r -> r.getString(1) + "/" + r.getString(2) + "/" + r.getInt(3)));
            stillRunning.retainAll(orphaned);
            return stillRunning.isEmpty();
        }, live);
        System.out.printf("recovered %d orphaned task instances %d ms after the kill%n", orphaned.size(),
                Duration.between(killedAt, Instant.now()).toMillis());
    }

    private void awaitAllRunsFinished(GustProcess live) throws Exception {
        Instant start = Instant.now();
        awaitOrFail("every run finished", FINISH_DEADLINE, () -> db.jdbc().queryOne(
                "SELECT count(*) FROM dag_run WHERE state IN ('success', 'failed')", Params.none(), r -> r.getInt(1)).orElse(0) == RUNS,
                live);
        System.out.printf("all %d runs finished %d ms after the last disruption%n", RUNS, Duration.between(start, Instant.now()).toMillis());
    }

    // --- assertions ----------------------------------------------------------------------------

    private void assertWorkloadDoneExactlyOnce() {
        assertThat(db.jdbc().query("SELECT run_id || ' ' || state FROM dag_run", Params.none(), r -> r.getString(1)))
                .hasSize(RUNS).allSatisfy(run -> assertThat(run).endsWith(" success"));
        assertThat(db.jdbc().queryOne("SELECT count(*) FROM task_instance WHERE state = 'success'", Params.none(), r -> r.getInt(1)))
                .as(taskStates()).hasValue(RUNS * taskCount);
        assertThat(db.jdbc().query("SELECT run_id || '/' || task_id || ' ' || state FROM task_instance"
                + " WHERE state IN ('none', 'scheduled', 'queued', 'running', 'up_for_retry')", Params.none(), r -> r.getString(1)))
                .as("nothing left in flight").isEmpty();

        loadExecutions();
        List<String> twice = db.jdbc().query("SELECT run_id || '/' || task_id || ' try ' || try_number || ' x' || count(*)"
                + " FROM crash_execution GROUP BY run_id, task_id, try_number HAVING count(*) > 1", Params.none(), r -> r.getString(1));
        assertThat(twice).as("no try of a task instance executed twice").isEmpty();

        List<String> finalTryMissing = db.jdbc().query("SELECT ti.run_id || '/' || ti.task_id || ' try ' || ti.try_number"
                + " FROM task_instance ti WHERE NOT EXISTS (SELECT 1 FROM crash_execution e WHERE e.dag_id = ti.dag_id"
                + " AND e.run_id = ti.run_id AND e.task_id = ti.task_id AND e.try_number = ti.try_number)", Params.none(), r -> r.getString(1));
        assertThat(finalTryMissing).as("the successful try of every task instance executed").isEmpty();

        List<String> beyondFinal = db.jdbc().query("SELECT e.run_id || '/' || e.task_id || ' try ' || e.try_number"
                + " FROM crash_execution e JOIN task_instance ti USING (dag_id, run_id, task_id)"
                + " WHERE e.try_number > ti.try_number OR e.try_number < 1", Params.none(), r -> r.getString(1));
        assertThat(beyondFinal).as("no execution with a try number the database does not know").isEmpty();

        System.out.printf("%d executions recorded for %d task instances; retried task instances: %s%n", executions(), RUNS * taskCount,
                db.jdbc().query("SELECT run_id || '/' || task_id || ' tries ' || try_number FROM task_instance WHERE try_number > 1",
                        Params.none(), r -> r.getString(1)));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** Where each task appends one line per execution; one small append is atomic, even from orphans. */
    private Path executionsFile() {
        return home.resolve("executions.log");
    }

    /**
     * Copies the executions the tasks appended to their file into the crash_execution table, so
     * that the checks are plain SQL joins with task_instance.
     */
    private void loadExecutions() {
        List<String> lines;
        try {
            lines = java.nio.file.Files.exists(executionsFile()) ? java.nio.file.Files.readAllLines(executionsFile()) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        db.jdbc().inTransaction(tx -> {
            tx.update("DELETE FROM crash_execution", Params.none());
            for (String line : lines) {
                String[] f = line.trim().split(" ");
                if (f.length == 5) {
                    tx.update("INSERT INTO crash_execution (dag_id, task_id, run_id, try_number, pid)"
                            + " VALUES (:dag, :task, :run, :try, :pid)", Params.of("dag", f[0]).and("task", f[1])
                            .and("run", f[2]).and("try", Integer.parseInt(f[3])).and("pid", Integer.parseInt(f[4])));
                }
            }
            return null;
        });
    }

    private int executions() {
        loadExecutions();
        return db.jdbc().queryOne("SELECT count(*) FROM crash_execution", Params.none(), r -> r.getInt(1)).orElse(0);
    }

    private static boolean started(GustProcess scheduler) {
        try {
            return scheduler.stdout().contains("gust: scheduler running");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int runningIn(long pid) {
        return db.jdbc().queryOne("SELECT count(*) FROM task_instance WHERE state = 'running' AND pid = :pid",
                Params.of("pid", (int) pid), r -> r.getInt(1)).orElse(0);
    }

    private String taskStates() {
        Map<String, List<String>> byState = new HashMap<>();
        db.jdbc().query("SELECT state, run_id || '/' || task_id || ' try ' || try_number FROM task_instance ORDER BY 2", Params.none(),
                r -> byState.computeIfAbsent(r.getString(1), s -> new ArrayList<>()).add(r.getString(2)));
        return byState.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue().size() + "): " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    private void awaitOrFail(String what, Duration deadline, BooleanSupplier condition, GustProcess live) throws Exception {
        Instant end = Instant.now().plus(deadline);
        while (!condition.getAsBoolean()) {
            if (!live.process().isAlive()) {
                throw new AssertionError("waiting until " + what + ": the scheduler died\n" + live.output());
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + deadline.toSeconds() + "s: " + what + " (seed " + seed + ")\n"
                        + "task instances by state:\n" + taskStates() + "\n" + live.output());
            }
            Thread.sleep(200);
        }
    }

    private static void check(GustProcess.Result result) {
        assertThat(result.exitCode()).as(result.all()).isZero();
    }
}
