package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries of a real command that fails its first two tries (a counter file tells it which try it
 * is): with retries 2 it ends success on try 3; with retries 1 it ends failed after two tries;
 * and each retry starts no earlier than {@code retry_delay} after the failed try ended.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineRetriesTest {

    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private final Path tries = harness.dir().resolve("tries");

    private void flakyDag(int retries) {
        Path counter = harness.dir().resolve("counter");
        // Fails while the counter is below 3; "end" is the last thing a try does before exiting.
        String command = "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter + "; "
                + EngineHarness.record(tries, "start") + "; "
                + "if [ $n -ge 3 ]; then " + EngineHarness.record(tries, "end") + "; exit 0; fi; "
                + EngineHarness.record(tries, "end") + "; exit 1";
        harness.retriedTaskDag("flaky", command, retries, "");
    }

    @Test
    void aTaskThatFailsTwiceSucceedsOnItsThirdTryWithTwoRetries() throws Exception {
        flakyDag(2);
        DagRun run = harness.run("flaky");

        TaskInstance flaky = harness.ti(run, "flaky");
        assertThat(flaky.state()).isEqualTo(TaskState.SUCCESS);
        assertThat(flaky.tryNumber()).isEqualTo(3);
        List<EngineHarness.Event> events = EngineHarness.events(tries);
        assertThat(events.stream().filter(e -> e.what().equals("start")).map(EngineHarness.Event::tryNumber))
                .containsExactly(1, 2, 3);
        assertRetryDelayRespected(events);
        assertThat(harness.log(run, "flaky", 1)).contains("UP_FOR_RETRY");
        assertThat(harness.log(run, "flaky", 3)).contains("Marking task as SUCCESS");
        assertThat(harness.ti(run, "after").state()).isEqualTo(TaskState.SUCCESS);
        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
    }

    @Test
    void withOneRetryTheSameTaskEndsFailedAfterTwoTries() throws Exception {
        flakyDag(1);
        DagRun run = harness.run("flaky");

        TaskInstance flaky = harness.ti(run, "flaky");
        assertThat(flaky.state()).isEqualTo(TaskState.FAILED);
        assertThat(flaky.tryNumber()).isEqualTo(2);
        List<EngineHarness.Event> events = EngineHarness.events(tries);
        assertThat(events.stream().filter(e -> e.what().equals("start")).map(EngineHarness.Event::tryNumber))
                .containsExactly(1, 2);
        assertRetryDelayRespected(events);
        assertThat(harness.ti(run, "after").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
    }

    private static void assertRetryDelayRespected(List<EngineHarness.Event> events) {
        for (int i = 0; i + 1 < events.size(); i++) {
            EngineHarness.Event event = events.get(i);
            if (event.what().equals("end")) {
                EngineHarness.Event nextStart = events.get(i + 1);
                assertThat(nextStart.what()).isEqualTo("start");
                assertThat(nextStart.tryNumber()).isEqualTo(event.tryNumber() + 1);
                assertThat(Duration.ofNanos(nextStart.nanos() - event.nanos()))
                        .as("gap between try %d ending and try %d starting", event.tryNumber(), nextStart.tryNumber())
                        .isGreaterThanOrEqualTo(RETRY_DELAY);
            }
        }
    }
}
