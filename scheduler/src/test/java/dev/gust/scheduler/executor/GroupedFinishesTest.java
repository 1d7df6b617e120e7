package dev.gust.scheduler.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRecord;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewDagRun;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskInstanceTry;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many runners ending their tries at once on a real PostgreSQL: each try ends once, in its own
 * state, with its whole log written exactly once, and a try another process moved first loses.
 */
class GroupedFinishesTest {

    private static final int TRIES = 60;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void concurrentEndsAreEachWrittenOnceWithTheirLogs() throws InterruptedException {
        TaskInstanceRepository tis = new TaskInstanceRepository(db.jdbc());
        TaskLogRepository logs = new TaskLogRepository(db.jdbc());
        List<TaskInstanceKey> keys = runningTries(tis);
        // one try was cleared meanwhile: its runner's end must lose
        TaskInstanceKey cleared = keys.getFirst();
        db.jdbc()
                .update(
                        "UPDATE task_instance SET state = :restarting WHERE task_id = :taskId",
                        Params.of("restarting", TaskState.RESTARTING).and("taskId", cleared.taskId()));
        GroupedFinishes finishes = new GroupedFinishes(tis);
        ConcurrentHashMap<TaskInstanceKey, Boolean> won = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> runners = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            TaskInstanceKey key = keys.get(i);
            TaskState to = i % 3 == 0 ? TaskState.FAILED : TaskState.SUCCESS;
            runners.add(Thread.ofVirtual().start(() -> {
                DatabaseTaskLog log = new DatabaseTaskLog(logs, key, 1, s -> s, 0);
                log.line("hello from " + key.taskId());
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                won.put(key, finishes.finish(new TaskInstanceTry(key, 1), to, log));
                log.close();
            }));
        }
        start.countDown();
        for (Thread runner : runners) {
            runner.join();
        }

        for (int i = 0; i < keys.size(); i++) {
            TaskInstanceKey key = keys.get(i);
            String log = logs.read(key, 1);
            assertThat(log).as(key.taskId()).containsOnlyOnce("hello from " + key.taskId() + "\n");
            if (key.equals(cleared)) {
                assertThat(won.get(key)).isFalse();
                assertThat(tis.find(key).orElseThrow().state()).isEqualTo(TaskState.RESTARTING);
            } else {
                assertThat(won.get(key)).as(key.taskId()).isTrue();
                assertThat(tis.find(key).orElseThrow().state())
                        .isEqualTo(i % 3 == 0 ? TaskState.FAILED : TaskState.SUCCESS);
            }
        }
    }

    /** {@link #TRIES} task instances of one running run, each running its first try. */
    private static List<TaskInstanceKey> runningTries(TaskInstanceRepository tis) {
        new DagRepository(db.jdbc())
                .upsert(
                        new DagRecord(
                                "wide",
                                "wide.yaml",
                                "",
                                "owner",
                                List.of(),
                                null,
                                null,
                                16,
                                16,
                                "{}",
                                "h",
                                null,
                                null,
                                null),
                        true);
        DagRunRepository runs = new DagRunRepository(db.jdbc());
        Instant date = Instant.parse("2026-01-01T00:00:00Z");
        DagRun run = runs.create(new NewDagRun("wide", "r1", date, date, date, "manual", "{}", true, "h", null))
                .orElseThrow();
        runs.transition(run.id(), DagRunState.QUEUED, DagRunState.RUNNING);
        List<NewTaskInstance> tasks = new ArrayList<>();
        List<TaskInstanceKey> keys = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            tasks.add(new NewTaskInstance("t" + i, -1, 1, "default_pool", 1, 1, "empty"));
            keys.add(TaskInstanceKey.of("wide", "r1", "t" + i));
        }
        tis.createForRun("wide", "r1", tasks);
        db.jdbc()
                .update(
                        "UPDATE task_instance SET state = :running, try_number = 1, start_date = now()",
                        Params.of("running", TaskState.RUNNING));
        return keys;
    }
}
