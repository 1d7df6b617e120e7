package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Airflow's clear of a running task under the local executor: the running try is stopped (its
 * process killed), the task instance waits in restarting until its runner is done, and then runs
 * again as the next try, never while the cleared one still runs.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EngineClearRunningTest {

    private static final Duration DEADLINE = Duration.ofSeconds(40);

    EngineHarness harness;
    Path pidFile;

    @BeforeEach
    void setUp() {
        harness = EngineHarness.create(Map.of("GUST_SCHEDULER__HEARTBEAT_INTERVAL", "500ms"));
        pidFile = harness.dir().resolve("try1.pid");
        Path evidence = harness.dir().resolve("evidence");
        // try 1 sleeps until it is stopped; try 2 checks that try 1's sleep is gone (a killed orphan
        // may linger unreaped as a zombie, state Z, which is gone too), then succeeds
        String command = "if [ \"{{ ti.try_number }}\" = \"1\" ]; then sleep 300 & echo $! > " + pidFile + "; wait; "
                + "else state=$(sed 's/.*) //' /proc/$(cat " + pidFile + ")/stat 2>/dev/null | cut -c1); "
                + "if [ -n \"$state\" ] && [ \"$state\" != Z ]; then echo \"OVERLAP $state\" >> " + evidence
                + "; exit 1; fi; "
                + "echo 'second try ran'; fi";
        harness.dag("clear_running.yaml", """
                clear_running:
                  schedule: null
                  tasks:
                    slow:
                      operator: bash
                      bash_command: %s
                    after: {operator: bash, bash_command: 'echo after', dependencies: [slow]}
                """.formatted(EngineHarness.yaml(command)));
    }

    private boolean pidWritten() {
        try {
            return Files.exists(pidFile) && !Files.readString(pidFile).isBlank();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
        harness.close();
    }

    @Test
    void clearingARunningTaskStopsItAndRunsItAgainAfterwards() throws Exception {
        harness.startEngine();
        DagRun run = harness.trigger("clear_running");
        String runId = run.runId();
        var jdbc = harness.db().jdbc();
        DagRunRepository runs = new DagRunRepository(jdbc);
        DagDefinitions definitions = new DagDefinitions(new DagRepository(jdbc));
        // the shell creates the file before it writes the pid into it: wait for the pid itself
        EngineHarness.await(DEADLINE, "try 1 to start its sleep", this::pidWritten, written -> written);
        long sleepPid = Long.parseLong(Files.readString(pidFile).strip());

        // watch the states the task instance goes through from here
        List<TaskState> seen = new ArrayList<>();
        Thread watcher = Thread.ofVirtual().start(() -> {
            var tis = new TaskInstanceRepository(jdbc);
            while (!Thread.currentThread().isInterrupted()) {
                TaskState state =
                        tis.find(harness.ti(run, "slow").key()).orElseThrow().state();
                synchronized (seen) {
                    if (seen.isEmpty() || seen.getLast() != state) {
                        seen.add(state);
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        var result = new TaskInstanceClearing(runs, new TaskInstanceRepository(jdbc))
                .clear(
                        definitions.get("clear_running").orElseThrow().dag(),
                        new TaskInstanceClearing.Request(
                                "clear_running",
                                runId,
                                TaskSelection.of(List.of("slow"), false, false),
                                false,
                                null,
                                null,
                                false));
        assertThat(result.taskInstances()).extracting(TaskInstance::taskId).containsExactly("slow");
        assertThat(harness.ti(run, "slow").state()).isEqualTo(TaskState.RESTARTING);

        DagRun done = harness.awaitFinished(run, DEADLINE);
        watcher.interrupt();
        watcher.join();

        assertThat(done.state())
                .as("the run; logs of slow:\n%s\n%s", harness.log(run, "slow", 1), harness.log(run, "slow", 2))
                .isEqualTo(DagRunState.SUCCESS);
        assertThat(EngineHarness.isRunning(sleepPid))
                .as("try 1's sleep was killed")
                .isFalse();
        TaskInstance slow = harness.ti(run, "slow");
        assertThat(slow.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(slow.tryNumber()).isEqualTo(2);
        assertThat(harness.dir().resolve("evidence"))
                .as("try 2 never ran beside try 1")
                .doesNotExist();
        assertThat(harness.log(run, "slow", 1))
                .contains("result is discarded")
                .contains("cleared while it ran and has stopped");
        assertThat(harness.log(run, "slow", 2)).contains("second try ran").contains("Marking task as SUCCESS");
        synchronized (seen) {
            // the second try is too quick to be seen running by polling; its try number shows it ran
            assertThat(seen).containsSubsequence(TaskState.RESTARTING, TaskState.SUCCESS);
        }
    }
}
