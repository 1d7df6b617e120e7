package dev.gust.core.store.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PoolRepositoryTest {

    static TestDatabase db;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void theDefaultPoolExistsAndPoolsCanBeAddedResizedAndDeleted() {
        PoolRepository pools = new PoolRepository(db.jdbc());
        assertThat(pools.find(Pool.DEFAULT)).contains(new Pool("default_pool", 128, "Default pool"));

        pools.set(new Pool("warehouse", 4, "the data warehouse"));
        pools.set(new Pool("warehouse", 2, "the data warehouse, gently"));
        pools.set(new Pool(Pool.DEFAULT, 32, "Default pool"));

        assertThat(pools.list()).containsExactly(
                new Pool("default_pool", 32, "Default pool"),
                new Pool("warehouse", 2, "the data warehouse, gently"));
        assertThat(pools.delete("warehouse")).isTrue();
        assertThatThrownBy(() -> pools.delete(Pool.DEFAULT)).hasMessageContaining("cannot be deleted");
        assertThatThrownBy(() -> pools.set(new Pool("bad", -2, null))).hasMessageContaining("-1 for unlimited");
    }
}
