package dev.gust.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC stand-in for pgbench on a real PostgreSQL: it commits transactions and leaves no table behind. */
class PgbenchBaselineTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    @Test
    void theJdbcLoopRunsPgbenchsSimpleUpdateAndCleansUp() throws InterruptedException {
        PgbenchBaseline.Result result = new PgbenchBaseline(null, db.dataSource(), Duration.ofSeconds(1)).jdbcLoop();

        assertThat(result.transactionsPerSecond()).isPositive();
        assertThat(result.how()).startsWith("JDBC loop of pgbench's -N transaction, 8 connections");
        assertThat(db.jdbc()
                        .queryOne(
                                "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'pgbench%'",
                                Params.none(), row -> row.getLong(1))
                        .orElseThrow())
                .isZero();
    }
}
