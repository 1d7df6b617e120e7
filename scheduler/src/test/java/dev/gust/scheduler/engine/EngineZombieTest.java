package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.Stores;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.scheduler.zombies.ZombieSweeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task instance left running by a process that died (no heartbeat) is retried or failed by the
 * sweep, with the reason in its log; one that still heartbeats is left alone.
 */
class EngineZombieTest {

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @BeforeEach
    void setUp() {
        harness.dag("zombies.yaml", """
                zombies:
                  schedule: null
                  tasks:
                    with_retry:
                      operator: bash
                      bash_command: 'true'
                      retries: 1
                      retry_delay: 1s
                      on_retry_callback: {bash_command: 'echo retried'}
                    without_retry:
                      operator: bash
                      bash_command: 'true'
                      on_failure_callback: {bash_command: 'echo failed'}
                    alive: {operator: bash, bash_command: 'true'}
                    cleared_dead: {operator: bash, bash_command: 'true'}
                    cleared_stopping: {operator: bash, bash_command: 'true'}
                """);
    }

    @Test
    void runningTasksWithoutHeartbeatAreRetriedOrFailedWithTheReason() {
        var jdbc = harness.db().jdbc();
        DagDefinitions definitions = new DagDefinitions(new DagRepository(jdbc));
        DagRunRepository runs = new DagRunRepository(jdbc);
        String runId = new DagRunCreator(runs, definitions, false, Clock.systemUTC())
                .trigger("zombies", Map.of(), Instant.parse("2024-01-01T00:00:00Z"), "test");
        DagRun run = runs.find("zombies", runId).orElseThrow();
        // What a scheduler killed with SIGKILL leaves behind: running rows whose heartbeat stopped.
        jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, hostname, pid,
                                           start_date, last_heartbeat_at)
                VALUES ('zombies', :run, 'with_retry', 'running', 1, 1, 'dead-host', 4242, now() - interval '2 minutes', now() - interval '2 minutes'),
                       ('zombies', :run, 'without_retry', 'running', 1, 0, 'dead-host', 4242, now() - interval '2 minutes', now() - interval '2 minutes'),
                       ('zombies', :run, 'alive', 'running', 1, 0, 'live-host', 4343, now() - interval '2 minutes', now())""", Params.of("run", run.runId()));

        TaskInstanceRepository tis = new TaskInstanceRepository(jdbc);
        ZombieSweeper sweeper =
                new ZombieSweeper(Stores.withoutSecrets(jdbc), definitions, Duration.ofSeconds(30), Clock.systemUTC());
        assertThat(sweeper.sweep()).isEqualTo(2);
        assertThat(sweeper.sweep()).as("a second sweep finds nothing left").isZero();

        assertThat(tis.find(TaskInstanceKey.of("zombies", runId, "with_retry"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.UP_FOR_RETRY);
        assertThat(tis.find(TaskInstanceKey.of("zombies", runId, "without_retry"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.FAILED);
        assertThat(tis.find(TaskInstanceKey.of("zombies", runId, "alive"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.RUNNING);
        assertThat(new TaskLogRepository(jdbc).read(TaskInstanceKey.of("zombies", runId, "without_retry"), 1))
                .contains("Detected as a zombie")
                .contains("dead-host")
                .contains("pid 4242");
        assertThat(new EventLogRepository(jdbc).recentForDag("zombies", 10))
                .as("each zombie is in the event log")
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.event().event()).isEqualTo("zombie_detected"));
        // as Airflow, a zombie's failure or retry calls its callbacks, requested with the state change
        assertThat(harness.stores().callbackRequests().listForRun("zombies", runId))
                .extracting(r -> r.taskId() + " " + r.event().key() + " " + r.state())
                .containsExactlyInAnyOrder(
                        "with_retry on_retry_callback pending", "without_retry on_failure_callback pending");
        assertThat(harness.stores().callbackRequests().listForRun("zombies", runId))
                .allSatisfy(
                        r -> assertThat((String) r.context().get("exception")).startsWith("Detected as a zombie"));
    }

    @Test
    void aClearedTaskWhoseRunnerDiedRunsAgainAndOneWhoseRunnerIsStoppingWaits() {
        var jdbc = harness.db().jdbc();
        DagDefinitions definitions = new DagDefinitions(new DagRepository(jdbc));
        DagRunRepository runs = new DagRunRepository(jdbc);
        String runId = new DagRunCreator(runs, definitions, false, Clock.systemUTC())
                .trigger("zombies", Map.of(), Instant.parse("2024-01-01T00:00:00Z"), "test");
        // cleared while running: one runner died before it could stop, the other still heartbeats
        jdbc.update("""
                INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number, max_tries, hostname, pid,
                                           start_date, last_heartbeat_at)
                VALUES ('zombies', :run, 'cleared_dead', 'restarting', 1, 1, 'dead-host', 4242, now() - interval '2 minutes', now() - interval '2 minutes'),
                       ('zombies', :run, 'cleared_stopping', 'restarting', 1, 1, 'live-host', 4343, now() - interval '2 minutes', now())""", Params.of("run", runId));

        TaskInstanceRepository tis = new TaskInstanceRepository(jdbc);
        ZombieSweeper sweeper =
                new ZombieSweeper(Stores.withoutSecrets(jdbc), definitions, Duration.ofSeconds(30), Clock.systemUTC());
        assertThat(sweeper.sweep()).isEqualTo(1);

        assertThat(tis.find(TaskInstanceKey.of("zombies", runId, "cleared_dead"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.NONE);
        assertThat(tis.find(TaskInstanceKey.of("zombies", runId, "cleared_stopping"))
                        .orElseThrow()
                        .state())
                .isEqualTo(TaskState.RESTARTING);
        assertThat(new TaskLogRepository(jdbc).read(TaskInstanceKey.of("zombies", runId, "cleared_dead"), 1))
                .contains("cleared try")
                .contains("dead-host")
                .contains("scheduled again");
    }
}
