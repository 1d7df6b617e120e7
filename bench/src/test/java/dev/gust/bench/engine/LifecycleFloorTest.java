package dev.gust.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The life cycle floor on a real PostgreSQL with Gust's schema: it finishes task instances and leaves none behind. */
class LifecycleFloorTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void itRunsAnEmptyTaskInstancesWritesAndDeletesItsRun() throws InterruptedException {
        LifecycleFloor.Result result = new LifecycleFloor(db.dataSource(), Duration.ofSeconds(1)).run();

        assertThat(result.taskInstancesPerSecond())
                .as("whole batches of task instances went from none to success")
                .isPositive();
        assertThat(result.taskInstancesPerSecond() % LifecycleFloor.BATCH).isZero();
        assertThat(result.how()).contains("8 connections");
        for (String table : new String[] {"dag", "dag_run", "task_instance", "task_instance_try", "task_log_chunk"}) {
            assertThat(db.jdbc()
                            .queryOne("SELECT count(*) FROM " + table, Params.none(), row -> row.getLong(1))
                            .orElseThrow())
                    .as("rows left in %s", table)
                    .isZero();
        }
    }
}
