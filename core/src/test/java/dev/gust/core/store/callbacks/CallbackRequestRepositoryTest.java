package dev.gust.core.store.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.store.Params;
import dev.gust.core.testing.StoredRuns;
import dev.gust.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callback requests on a real PostgreSQL: one row per callback, claimed by one scheduler at a
 * time, taken over once its claimant stopped heartbeating, finished only by who holds it, and
 * abandoned after three claims whose schedulers all died.
 */
class CallbackRequestRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    CallbackRequestRepository requests;

    @BeforeEach
    void oneRun() {
        StoredRuns.onlyDag(db.jdbc(), "etl");
        StoredRuns.manualRun(db.jdbc(), "etl", "r1", 0);
        requests = new CallbackRequestRepository(db.jdbc());
    }

    private void requestTwo() {
        int inserted = requests.request(
                "etl",
                "r1",
                "load",
                -1,
                2,
                CallbackEvent.FAILURE,
                List.of(
                        new CallbackSpec.Bash("echo {{ exception }}", Map.of()),
                        new CallbackSpec.Notify("smtp", Map.of("to", List.of("a@example.com")))),
                Map.of("exception", "exit 3", "state", "failed"));
        assertThat(inserted).isEqualTo(2);
    }

    @Test
    void eachRequestIsClaimedByOneSchedulerAndKeepsItsSpecAndContext() {
        requestTwo();
        List<CallbackRequest> a = requests.claim("a", 1, Duration.ofMinutes(1), 3);
        List<CallbackRequest> b = requests.claim("b", 5, Duration.ofMinutes(1), 3);
        assertThat(a).singleElement().satisfies(r -> {
            assertThat(r.spec()).isEqualTo(new CallbackSpec.Bash("echo {{ exception }}", Map.of()));
            assertThat(r.event()).isEqualTo(CallbackEvent.FAILURE);
            assertThat(r.context()).containsEntry("exception", "exit 3");
            assertThat(r.tryNumber()).isEqualTo(2);
            assertThat(r.attempts()).isEqualTo(1);
        });
        assertThat(b).singleElement().satisfies(r -> assertThat(r.spec()).isInstanceOf(CallbackSpec.Notify.class));
        assertThat(requests.claim("c", 5, Duration.ofMinutes(1), 3)).isEmpty();
        assertThat(requests.finish(a.getFirst().id(), "b", true, "", null))
                .as("only the claimant finishes it")
                .isFalse();
        assertThat(requests.finish(a.getFirst().id(), "a", false, "out\n", "exited with code 1"))
                .isTrue();
        assertThat(requests.listForRun("etl", "r1"))
                .extracting(CallbackRequest::state, CallbackRequest::error)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("failed", "exited with code 1"),
                        org.assertj.core.groups.Tuple.tuple("running", null));
    }

    @Test
    void aRequestWhoseClaimantStoppedHeartbeatingIsTakenOverThenAbandonedAfterThreeClaims() {
        requestTwo();
        requests.claim("a", 5, Duration.ofMinutes(1), 3);
        assertThat(requests.heartbeat(
                        "a",
                        requests.listForRun("etl", "r1").stream()
                                .map(CallbackRequest::id)
                                .toList()))
                .isEqualTo(2);
        staleHeartbeats();
        List<CallbackRequest> takenOver = requests.claim("b", 5, Duration.ofSeconds(30), 3);
        assertThat(takenOver)
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.attempts()).isEqualTo(2));
        assertThat(requests.finish(takenOver.getFirst().id(), "a", true, "", null))
                .as("the old claimant lost it")
                .isFalse();
        staleHeartbeats();
        assertThat(requests.claim("c", 5, Duration.ofSeconds(30), 3)).hasSize(2);
        staleHeartbeats();
        assertThat(requests.claim("d", 5, Duration.ofSeconds(30), 3)).isEmpty();
        assertThat(requests.listForRun("etl", "r1")).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("failed");
            assertThat(r.error()).isEqualTo("abandoned: claimed 3 times by schedulers that stopped while running it");
        });
    }

    private void staleHeartbeats() {
        db.jdbc().update("UPDATE callback_request SET heartbeat_at = now() - interval '1 minute'", Params.none());
    }
}
