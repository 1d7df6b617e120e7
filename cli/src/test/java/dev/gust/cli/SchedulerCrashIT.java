package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash tests of the self-healing promise: real {@code gust scheduler} processes run the
 * {@link CrashWorkload} against a real PostgreSQL and are killed with SIGKILL in the middle of
 * the work; afterwards every run finished, every task succeeded once, and no try of a task was
 * executed twice.
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
    CrashWorkload workload;
    Map<String, String> env;
    final List<GustProcess> processes = new ArrayList<>();
    final long seed = System.nanoTime();
    final Random random = new Random(seed);

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        workload = new CrashWorkload(db.jdbc(), home, DAG_ID, RUNS, "seed " + seed);
        workload.writeDag(dags, 4);
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
                awaitOrFail(
                        "scheduler " + pid + " runs tasks before kill " + kill,
                        FINISH_DEADLINE,
                        () -> executions() >= executionsAtStart + 6 && runningIn(pid) > 0,
                        scheduler);
                Thread.sleep(random.nextInt(700));
            }
            Set<String> orphaned = killJvm(scheduler);
            Instant killedAt = Instant.now();
            System.out.printf(
                    "kill %d: SIGKILL to scheduler pid %d with %d task instances running: %s%n",
                    kill, pid, orphaned.size(), orphaned);

            scheduler = startScheduler();
            awaitRecovery(orphaned, killedAt, scheduler);
        }
        workload.awaitAllRunsFinished(FINISH_DEADLINE, scheduler);
        workload.assertDoneExactlyOnce();
    }

    @Test
    void whenOneOfTwoSchedulersIsKilledTheOtherFinishesEverything() throws Exception {
        GustProcess first = startScheduler();
        GustProcess second = startScheduler();
        awaitOrFail(
                "both schedulers started and tasks run",
                FINISH_DEADLINE,
                () -> started(first)
                        && started(second)
                        && executions() >= 10
                        && runningIn(first.process().pid())
                                        + runningIn(second.process().pid())
                                > 0,
                first);
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
        System.out.printf(
                "SIGKILL to scheduler pid %d with %d task instances running: %s%n",
                victimPid, orphaned.size(), orphaned);

        awaitRecovery(orphaned, killedAt, survivor);
        workload.awaitAllRunsFinished(FINISH_DEADLINE, survivor);
        workload.assertDoneExactlyOnce();
        assertThat(db.jdbc()
                        .queryOne(
                                "SELECT count(*) FROM task_instance WHERE pid = :pid",
                                Params.of("pid", (int) survivor.process().pid()),
                                r -> r.getInt(1))
                        .orElse(0))
                .as("the survivor ran the orphaned tasks' retries at least")
                .isGreaterThanOrEqualTo(orphaned.size());
    }

    // --- processes -----------------------------------------------------------------------------

    private GustProcess startScheduler() throws IOException {
        GustProcess scheduler = GustProcess.start(env, "scheduler");
        processes.add(scheduler);
        return scheduler;
    }

    /** SIGKILL to the scheduler's JVM ({@link GustProcess#kill9}); returns the tries (run/task/try) that were running in it. */
    private Set<String> killJvm(GustProcess scheduler) throws Exception {
        long pid = scheduler.kill9();
        return new HashSet<>(db.jdbc()
                .query(
                        "SELECT run_id, task_id, try_number FROM task_instance WHERE state = 'running' AND pid = :pid",
                        Params.of("pid", (int) pid),
                        r -> r.getString(1) + "/" + r.getString(2) + "/" + r.getInt(3)));
    }

    /** The task instances that ran in a dead process leave that try (zombie sweep) within the deadline. */
    private void awaitRecovery(Set<String> orphaned, Instant killedAt, GustProcess live) throws Exception {
        awaitOrFail(
                "the tries orphaned by the kill are swept: " + orphaned,
                RECOVERY_DEADLINE,
                () -> {
                    Set<String> stillRunning = new HashSet<>(db.jdbc()
                            .query(
                                    "SELECT run_id, task_id, try_number FROM task_instance WHERE state = 'running'",
                                    Params.none(),
                                    r -> r.getString(1) + "/" + r.getString(2) + "/" + r.getInt(3)));
                    stillRunning.retainAll(orphaned);
                    return stillRunning.isEmpty();
                },
                live);
        System.out.printf(
                "recovered %d orphaned task instances %d ms after the kill%n",
                orphaned.size(), Duration.between(killedAt, Instant.now()).toMillis());
    }

    private int executions() {
        return workload.executions();
    }

    private int runningIn(long pid) {
        return workload.runningIn(pid);
    }

    private static boolean started(GustProcess scheduler) {
        return CrashWorkload.started(scheduler);
    }

    private void awaitOrFail(String what, Duration deadline, BooleanSupplier condition, GustProcess live)
            throws Exception {
        workload.awaitOrFail(what, deadline, condition, live);
    }

    private static void check(GustProcess.Result result) {
        assertThat(result.exitCode()).as(result.all()).isZero();
    }
}
