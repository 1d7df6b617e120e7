package dev.gust.core.store.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PoolRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void theDefaultPoolExistsAndPoolsCanBeAddedResizedAndDeleted() {
        PoolRepository pools = new PoolRepository(db.jdbc());
        assertThat(pools.find(Pool.DEFAULT)).contains(new Pool("default_pool", 128, "Default pool"));

        pools.set(new Pool("warehouse", 4, "the data warehouse"));
        pools.set(new Pool("warehouse", 2, "the data warehouse, gently"));
        pools.set(new Pool(Pool.DEFAULT, 32, "Default pool"));

        assertThat(pools.list())
                .containsExactly(
                        new Pool("default_pool", 32, "Default pool"),
                        new Pool("warehouse", 2, "the data warehouse, gently"));
        assertThat(pools.delete("warehouse")).isTrue();
        assertThatThrownBy(() -> pools.delete(Pool.DEFAULT)).hasMessageContaining("cannot be deleted");
        assertThatThrownBy(() -> pools.set(new Pool("bad", -2, null))).hasMessageContaining("-1 for unlimited");
    }

    @Test
    void usageSumsThePoolSlotsOfQueuedAndRunningTaskInstances() {
        try (TestDatabase own = TestDatabase.create()) {
            usageSumsThePoolSlotsOfQueuedAndRunningTaskInstances(own);
        }
    }

    private static void usageSumsThePoolSlotsOfQueuedAndRunningTaskInstances(TestDatabase db) {
        PoolRepository pools = new PoolRepository(db.jdbc());
        pools.set(new Pool("usage_pool", 10, null));
        pools.set(new Pool("unlimited_pool", -1, null));
        db.jdbc().update("""
                INSERT INTO dag (dag_id, fileloc, serialized_dag, version_hash) VALUES ('usage_dag', 'u.yaml', '{}', 'h');
                INSERT INTO dag_run (dag_id, run_id, logical_date, run_type) VALUES ('usage_dag', 'r1', now(), 'manual');
                INSERT INTO task_instance (dag_id, run_id, task_id, state, pool, pool_slots) VALUES
                    ('usage_dag', 'r1', 'a', 'running', 'usage_pool', 3),
                    ('usage_dag', 'r1', 'b', 'running', 'usage_pool', 1),
                    ('usage_dag', 'r1', 'c', 'queued', 'usage_pool', 2),
                    ('usage_dag', 'r1', 'd', 'success', 'usage_pool', 5),
                    ('usage_dag', 'r1', 'e', 'running', 'unlimited_pool', 7)""", Params.none());

        var byName = new java.util.HashMap<String, PoolUsage>();
        pools.usage().forEach(usage -> byName.put(usage.pool().name(), usage));

        assertThat(byName.get("usage_pool")).isEqualTo(new PoolUsage(new Pool("usage_pool", 10, null), 4, 2));
        assertThat(byName.get("usage_pool").openSlots()).isEqualTo(4);
        assertThat(byName.get("unlimited_pool").running()).isEqualTo(7);
        assertThat(byName.get("unlimited_pool").openSlots()).isEqualTo(-1);
        assertThat(byName.get(Pool.DEFAULT).running()).isZero();
    }
}
