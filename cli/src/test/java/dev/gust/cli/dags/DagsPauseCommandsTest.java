package dev.gust.cli.dags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.cli.context.CliContext;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.Params;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.events.EventLogRepository;
import dev.gust.core.store.events.LoggedEvent;
import dev.gust.core.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The flag and its audit event go together; an unknown DAG changes nothing and logs nothing. */
class DagsPauseCommandsTest {

    static TestDatabase db;
    static CliContext cli;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create();
        db.jdbc().update("""
                INSERT INTO dag (dag_id, fileloc, serialized_dag, version_hash)
                VALUES ('etl', '/dags/etl.yaml', '{}', 'h1')
                """, Params.none());
        cli = CliContext.over(GustConfig.defaults(), db.database());
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void pauseAndUnpauseAreAuditedWithTheirOwner() {
        assertThat(DagsPauseCommands.setPaused(cli, "etl", false, "alice")).isTrue();
        assertThat(new DagRepository(db.jdbc()).find("etl").orElseThrow().paused())
                .isFalse();
        assertThat(DagsPauseCommands.setPaused(cli, "etl", true, "bob")).isTrue();
        assertThat(new DagRepository(db.jdbc()).find("etl").orElseThrow().paused())
                .isTrue();
        assertThat(DagsPauseCommands.setPaused(cli, "nope", true, "bob")).isFalse();

        List<LoggedEvent> events = new EventLogRepository(db.jdbc()).recent(10);
        assertThat(events)
                .extracting(e -> e.event().event() + " " + e.event().dagId() + " by "
                        + e.event().owner())
                .containsExactly("pause etl by bob", "unpause etl by alice");
    }
}
