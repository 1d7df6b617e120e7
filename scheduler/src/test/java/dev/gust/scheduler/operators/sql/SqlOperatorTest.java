package dev.gust.scheduler.operators.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.testing.TestDatabase;
import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqlOperatorTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    private final SqlOperator sql = new SqlOperator();

    private FakeTaskRunContext context(Object... args) {
        return FakeTaskRunContext.of(args).connection(PostgresConnections.of("warehouse", db));
    }

    @Test
    void runsAScriptAndPushesTheRowsOfTheLastQuery() throws Exception {
        FakeTaskRunContext context = context("conn_id", "warehouse", "sql", """
                CREATE TABLE feed_runs (day date, note text);
                INSERT INTO feed_runs VALUES ('2024-01-01', 'semi;colon'), ('2024-01-02', 'b');
                SELECT day, note, 1.5::numeric AS n, true AS ok FROM feed_runs ORDER BY day;
                """);
        assertThat(sql.execute(context)).isEqualTo(new OperatorOutcome.Success());
        assertThat(context.xcoms.get("return_value"))
                .isEqualTo(List.of(
                        List.of("2024-01-01", "semi;colon", new java.math.BigDecimal("1.5"), true),
                        List.of("2024-01-02", "b", new java.math.BigDecimal("1.5"), true)));
    }

    @Test
    void bindsNamedAndPositionalParameters() throws Exception {
        FakeTaskRunContext named = context(
                "conn_id",
                "warehouse",
                "sql",
                "SELECT %(day)s::date + 1, '%(not)s literal', 100 %% 7",
                "parameters",
                Map.of("day", "2024-01-31"));
        sql.execute(named);
        assertThat(named.xcoms.get("return_value")).isEqualTo(List.of(List.of("2024-02-01", "%(not)s literal", 2)));

        FakeTaskRunContext positional = context(
                "conn_id",
                "warehouse",
                "sql",
                List.of("SELECT %s::int * 2", "SELECT %s::int + 1"),
                "parameters",
                List.of(20));
        sql.execute(positional);
        assertThat(positional.xcoms.get("return_value")).isEqualTo(List.of(List.of(21)));
    }

    @Test
    void commitsAtTheEndAndRollsBackOnFailure() throws Exception {
        sql.execute(context("conn_id", "warehouse", "sql", "CREATE TABLE t (x int)"));
        OperatorOutcome outcome = sql.execute(context(
                "conn_id", "warehouse", "sql", "INSERT INTO t VALUES (1); INSERT INTO t VALUES ('not a number')"));
        assertThat(outcome).isInstanceOf(OperatorOutcome.Failed.class);
        assertThat(((OperatorOutcome.Failed) outcome).reason())
                .startsWith("SQL failed: ERROR: invalid input syntax for type integer: \"not a number\"");
        FakeTaskRunContext count = context("conn_id", "warehouse", "sql", "SELECT count(*) FROM t");
        sql.execute(count);
        assertThat(count.xcoms.get("return_value")).isEqualTo(List.of(List.of(0L)));
    }

    @Test
    void badSqlFailsWithThePostgresMessage() throws Exception {
        OperatorOutcome outcome = sql.execute(context("conn_id", "warehouse", "sql", "SELEC 1"));
        assertThat(((OperatorOutcome.Failed) outcome).reason())
                .startsWith("SQL failed: ERROR: syntax error at or near \"SELEC\"");
    }

    @Test
    void moreRowsThanMaxRowsFails() throws Exception {
        FakeTaskRunContext context =
                context("conn_id", "warehouse", "sql", "SELECT generate_series(1, 11)", "max_rows", 10);
        OperatorOutcome outcome = sql.execute(context);
        assertThat(((OperatorOutcome.Failed) outcome).reason())
                .startsWith("The query returned more than max_rows=10 rows");
        assertThat(context.xcoms).isEmpty();
        FakeTaskRunContext exact =
                context("conn_id", "warehouse", "sql", "SELECT generate_series(1, 10)", "max_rows", 10);
        assertThat(sql.execute(exact)).isEqualTo(new OperatorOutcome.Success());
        assertThat((List<?>) exact.xcoms.get("return_value")).hasSize(10);
    }

    @Test
    void aMissingOrWrongConnectionIsAClearError() {
        assertThatThrownBy(() -> sql.execute(FakeTaskRunContext.of("conn_id", "nope", "sql", "SELECT 1")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("connection 'nope' does not exist");
        FakeTaskRunContext http = FakeTaskRunContext.of("conn_id", "web", "sql", "SELECT 1")
                .connection(new dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails(
                        "web", "http", "h", null, null, null, null, Map.of()));
        assertThatThrownBy(() -> sql.execute(http)).hasMessageContaining("need a postgres connection");
    }

    @Test
    void interruptCancelsTheRunningStatement() throws Exception {
        FakeTaskRunContext context = context("conn_id", "warehouse", "sql", "SELECT pg_sleep(30)");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                sql.execute(context);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(500);
        long start = System.nanoTime();
        runner.interrupt();
        runner.join(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }
}
