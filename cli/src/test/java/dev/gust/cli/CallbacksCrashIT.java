package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure callback survives the death of the scheduler that ran the task: a real {@code gust
 * scheduler} fails a task, commits the failure with its callback request, claims it and starts the
 * callback, and is killed with SIGKILL (with the callback's process group, as a container's death
 * takes its processes along) before the callback delivered. A second scheduler, started after the
 * kill, takes the request over once its lease ran out and delivers it: exactly one delivery, the
 * row done after two claims, the task still failed.
 */
class CallbacksCrashIT {

    @TempDir
    Path home;

    @TempDir
    Path dags;

    SchedulerCluster cluster;
    TestDatabase db;
    Path marks;

    @BeforeEach
    void setUp() throws Exception {
        cluster = SchedulerCluster.create(home, dags, new Random());
        db = cluster.db();
        marks = home.resolve("marks.txt");
        Files.writeString(marks, "");
        // the callback says it started (with its process group id), takes a while, then delivers
        Files.writeString(dags.resolve("alerting.yaml"), """
                alerting:
                  start_date: 2024-01-01
                  schedule: '@once'
                  tasks:
                    t:
                      operator: bash
                      bash_command: 'echo failing; exit 1'
                      on_failure_callback:
                        bash_command: 'echo "started $$" >> %1$s; sleep 4; echo "delivered {{ ti.task_id }} {{ exception }}" >> %1$s'
                """.formatted(marks));
        // a dead scheduler's callbacks are taken over once their rows went this long without heartbeat
        cluster.env().put("GUST_SCHEDULER__ZOMBIE_THRESHOLD", "5s");
        cluster.reserialize();
    }

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFailureCallbackIsDeliveredOnceThoughItsSchedulerIsKilledBeforeDelivering() throws Exception {
        GustProcess first = cluster.startScheduler();
        cluster.await("the failure callback to start", () -> lines("started ").size() == 1);
        assertThat(callbackStates()).containsExactly("running");
        long pid = first.kill9();
        long group = Long.parseLong(
                lines("started ").getFirst().substring("started ".length()).strip());
        killGroup(group);
        System.out.printf("SIGKILL to scheduler %d and its callback's process group %d%n", pid, group);
        assertThat(lines("delivered"))
                .as("the killed callback delivered nothing")
                .isEmpty();
        assertThat(taskState()).isEqualTo("failed");

        cluster.startScheduler();
        cluster.await(
                "the callback to be delivered and recorded",
                () -> callbackStates().equals(List.of("success")));
        assertThat(lines("started ")).hasSize(2);
        assertThat(lines("delivered"))
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("delivered t Bash command failed"));
        assertThat(db.jdbc()
                        .queryOne("SELECT attempts FROM callback_request", Params.none(), r -> r.getInt(1))
                        .orElseThrow())
                .isEqualTo(2);
        assertThat(taskState()).isEqualTo("failed");
        String log = String.join(
                "",
                db.jdbc()
                        .query(
                                "SELECT content FROM task_log_chunk WHERE task_id = 't' ORDER BY chunk_no",
                                Params.none(),
                                r -> r.getString(1)));
        assertThat(log).contains("claimed again: the scheduler that ran it before stopped", "Callback succeeded");
    }

    private List<String> lines(String prefix) {
        try {
            return Files.readAllLines(marks).stream()
                    .filter(l -> l.startsWith(prefix))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> callbackStates() {
        return db.jdbc().query("SELECT state FROM callback_request ORDER BY id", Params.none(), r -> r.getString(1));
    }

    private String taskState() {
        return db.jdbc()
                .queryOne("SELECT state FROM task_instance WHERE task_id = 't'", Params.none(), r -> r.getString(1))
                .orElseThrow();
    }

    private static void killGroup(long group) throws Exception {
        Process kill =
                new ProcessBuilder("kill", "-9", "--", "-" + group).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
