package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quartz failover across real processes: two {@code gust scheduler}s share the clustered trigger
 * store; the one that holds a DAG's next trigger (Quartz's {@code qrtz_fired_triggers} names it by
 * pid) is killed with SIGKILL, and the survivor must keep creating the scheduled runs, once
 * Quartz has declared the dead node failed (check-in interval plus {@code ClusteredTriggerStore}'s
 * 2 s grace); the time from the kill to the survivor's first run is printed and bounded.
 */
class ScheduleFailoverIT {

    private static final String DAG_ID = "every_ten_seconds";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path home;

    @TempDir
    Path dags;

    TestDatabase db;
    Map<String, String> env;
    final List<GustProcess> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create();
        Files.writeString(dags.resolve("every_ten_seconds.yaml"), """
                every_ten_seconds:
                  schedule: 10s
                  catchup: false
                  default_args:
                    start_date: 2024-01-01
                  tasks:
                    tick: {operator: empty}
                """);
        env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_DATABASE__URL", db.url());
        env.put("GUST_CORE__DAGS_FOLDER", dags.toString());
        env.put("GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "false");
        env.put("GUST_SCHEDULER__HEARTBEAT_INTERVAL", "1s");
        env.put("GUST_SCHEDULER__CLUSTER_CHECKIN_INTERVAL", "1s");
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        GustProcess.Result reserialized = GustProcess.run(env, "dags", "reserialize");
        assertThat(reserialized.exitCode()).as(reserialized.all()).isZero();
    }

    @AfterEach
    void tearDown() {
        processes.forEach(GustProcess::close);
        if (db != null) {
            db.close();
        }
    }

    @Test
    void whenTheSchedulerHoldingTheTriggerIsKilledTheSurvivorKeepsCreatingScheduledRuns() throws Exception {
        GustProcess first = start();
        GustProcess second = start();
        // Remember the holder when it is seen: asking again later may find the trigger between two
        // acquisitions, held by nobody. The kill comes just before the trigger is due, so that the
        // time to the survivor's run is the failover's and not the wait for the next interval.
        java.util.concurrent.atomic.AtomicReference<GustProcess> seenHolder =
                new java.util.concurrent.atomic.AtomicReference<>();
        await(
                "a scheduled run exists and a scheduler holds the DAG's next trigger, due within a second",
                () -> scheduledRuns() >= 1
                        && nextFireIn()
                                .filter(in -> in.toMillis() > 200 && in.toMillis() < 1200)
                                .isPresent()
                        && holder(first, second)
                                .map(h -> {
                                    seenHolder.set(h);
                                    return true;
                                })
                                .orElse(false),
                first);

        GustProcess victim = seenHolder.get();
        GustProcess survivor = victim == first ? second : first;
        long victimPid = victim.kill9();
        Instant killedAt = Instant.now();
        System.out.printf(
                "SIGKILL to scheduler pid %d, which held the trigger; %d scheduled runs so far%n",
                victimPid, scheduledRuns());

        await(
                "the survivor created a scheduled run",
                () -> firstRunCreatedAfter(killedAt).isPresent(),
                survivor);
        CreatedRun firstRun = firstRunCreatedAfter(killedAt).orElseThrow();
        Duration failover = Duration.between(killedAt, firstRun.createdAt());
        System.out.printf(
                "the survivor created its first run %d ms after the kill, %d ms after that run's interval ended%n",
                failover.toMillis(),
                Duration.between(firstRun.intervalEnd(), firstRun.createdAt()).toMillis());
        // the run is due within a second of the kill; measured 3.0 s on a busy 2-core machine
        // (check-in 1 s plus ClusteredTriggerStore's 2 s grace; 9.7 s with Quartz's stock 7.5 s
        // grace); the bound is generous
        assertThat(failover)
                .as("from the kill to the survivor's first scheduled run")
                .isLessThan(Duration.ofSeconds(15));
        await(
                "the survivor created two scheduled runs whose intervals end after the kill",
                () -> scheduledRunsEndingAfter(killedAt) >= 2,
                survivor);
        System.out.printf(
                "the survivor (pid %d) created the next scheduled runs; %d ms after the kill%n",
                survivor.process().pid(),
                Duration.between(killedAt, Instant.now()).toMillis());
        assertThat(db.jdbc().query("SELECT instance_name FROM qrtz_fired_triggers", Params.none(), r -> r.getString(1)))
                .as("Quartz released what the dead node had acquired")
                .noneMatch(name -> name.startsWith(victimPid + "-"));
        assertThat(db.jdbc()
                        .queryOne(
                                "SELECT count(*) FROM qrtz_triggers WHERE job_name = :dag",
                                Params.of("dag", DAG_ID),
                                r -> r.getInt(1))
                        .orElse(0))
                .as("the DAG is still armed")
                .isPositive();
    }

    private GustProcess start() throws Exception {
        GustProcess scheduler = GustProcess.start(env, "scheduler");
        processes.add(scheduler);
        return scheduler;
    }

    /** The scheduler whose Quartz node has acquired (or is firing) the DAG's trigger. */
    private Optional<GustProcess> holder(GustProcess... schedulers) {
        List<String> holders = db.jdbc()
                .query(
                        "SELECT instance_name FROM qrtz_fired_triggers WHERE job_name = :dag"
                                + " OR trigger_name LIKE :prefix",
                        Params.of("dag", DAG_ID).and("prefix", DAG_ID + "@%"),
                        r -> r.getString(1));
        for (GustProcess scheduler : schedulers) {
            if (holders.stream()
                    .anyMatch(name -> name.startsWith(scheduler.process().pid() + "-"))) {
                return Optional.of(scheduler);
            }
        }
        return Optional.empty();
    }

    private int scheduledRuns() {
        return db.jdbc()
                .queryOne(
                        "SELECT count(*) FROM dag_run WHERE dag_id = :dag AND run_type = 'scheduled'",
                        Params.of("dag", DAG_ID),
                        r -> r.getInt(1))
                .orElse(0);
    }

    /** How long until the DAG's trigger is due, as Quartz has it. */
    private Optional<Duration> nextFireIn() {
        return db.jdbc()
                .queryOne(
                        "SELECT next_fire_time FROM qrtz_triggers WHERE job_name = :dag"
                                + " ORDER BY next_fire_time LIMIT 1",
                        Params.of("dag", DAG_ID),
                        r -> r.getLong(1))
                .map(at -> Duration.ofMillis(at - System.currentTimeMillis()));
    }

    /** A run's creation (its {@code queued_at}) and the end of its data interval. */
    private record CreatedRun(Instant createdAt, Instant intervalEnd) {}

    private Optional<CreatedRun> firstRunCreatedAfter(Instant instant) {
        return db.jdbc()
                .queryOne(
                        "SELECT queued_at, data_interval_end FROM dag_run WHERE dag_id = :dag"
                                + " AND run_type = 'scheduled' AND queued_at > :at ORDER BY queued_at LIMIT 1",
                        Params.of("dag", DAG_ID).and("at", instant),
                        r -> new CreatedRun(
                                r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant()));
    }

    private int scheduledRunsEndingAfter(Instant instant) {
        return db.jdbc()
                .queryOne(
                        "SELECT count(*) FROM dag_run WHERE dag_id = :dag AND run_type = 'scheduled'"
                                + " AND data_interval_end > :at",
                        Params.of("dag", DAG_ID).and("at", instant),
                        r -> r.getInt(1))
                .orElse(0);
    }

    private void await(String what, java.util.function.BooleanSupplier condition, GustProcess live) throws Exception {
        Instant end = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (!live.process().isAlive()) {
                throw new AssertionError("waiting until " + what + ": the scheduler died\n" + live.output());
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + "s: " + what + "\n" + live.output());
            }
            Thread.sleep(100);
        }
    }
}
