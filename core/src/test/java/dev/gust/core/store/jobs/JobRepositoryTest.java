package dev.gust.core.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void aliveAmongLatestLooksAtTheLatestRunningJobsOfATypeAndHost() {
        JobRepository jobs = new JobRepository(db.jdbc());
        long fresh = jobs.register(JobRepository.SCHEDULER, "host-a", 1);
        long alsoFresh = jobs.register(JobRepository.SCHEDULER, "host-b", 2);
        long stale = jobs.register(JobRepository.SCHEDULER, "host-a", 3);
        long ended = jobs.register(JobRepository.SCHEDULER, "host-a", 4);
        jobs.end(ended, "success");
        db.jdbc()
                .update(
                        "UPDATE job SET latest_heartbeat = now() - interval '5 minutes' WHERE id = :id",
                        Params.of("id", stale));
        db.jdbc()
                .update(
                        "UPDATE job SET latest_heartbeat = now() - interval '1 second' WHERE id = :id",
                        Params.of("id", alsoFresh));
        Duration threshold = Duration.ofSeconds(30);

        assertThat(jobs.aliveAmongLatest(JobRepository.SCHEDULER, null, 0, threshold))
                .containsExactly(fresh, alsoFresh);
        assertThat(jobs.aliveAmongLatest(JobRepository.SCHEDULER, null, 1, threshold))
                .containsExactly(fresh);
        assertThat(jobs.aliveAmongLatest(JobRepository.SCHEDULER, "host-b", 1, threshold))
                .containsExactly(alsoFresh);
        assertThat(jobs.aliveAmongLatest(JobRepository.SCHEDULER, "host-c", 0, threshold))
                .isEmpty();
        assertThat(jobs.aliveAmongLatest("webserver", null, 0, threshold)).isEmpty();

        jobs.end(fresh, "failed");
        jobs.end(alsoFresh, "success");
        assertThat(jobs.aliveAmongLatest(JobRepository.SCHEDULER, "host-a", 1, threshold))
                .isEmpty();
    }
}
