package dev.gust.core.store.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventLogRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void appendedEventsAreListedNewestFirst() {
        EventLogRepository log = new EventLogRepository(db.jdbc());

        long first = log.append(Event.of("pause", "etl", "alice"));
        log.append(new Event("trigger", "etl", null, "manual__1", "bob", "{\"conf\": {}}"));
        log.append(Event.of("unpause", "report", "alice"));

        assertThat(log.recent(2)).extracting(e -> e.event().event()).containsExactly("unpause", "trigger");
        assertThat(log.recentForDag("etl", 10)).extracting(LoggedEvent::id).endsWith(first);
        LoggedEvent trigger = log.recentForDag("etl", 1).getFirst();
        assertThat(trigger.event()).isEqualTo(new Event("trigger", "etl", null, "manual__1", "bob", "{\"conf\": {}}"));
        assertThat(trigger.dttm()).isNotNull();
    }
}
