package dev.gust.scheduler.operators.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.testing.TestDatabase;
import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.sensors.SensorOperator;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqlSensorTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    private final SensorOperator sensor = new SensorOperator(new SqlSensor(), Clock.systemUTC());

    private OperatorOutcome poke(String sql, Object... more) throws Exception {
        FakeTaskRunContext context = FakeTaskRunContext.of("conn_id", "db", "sql", sql, "mode", "reschedule");
        for (int i = 0; i < more.length; i += 2) {
            context.args().put((String) more[i], more[i + 1]);
        }
        return sensor.execute(context.connection(PostgresConnections.of("db", db)));
    }

    @Test
    void theFirstCellDecides() throws Exception {
        assertThat(poke("SELECT 1")).isEqualTo(new OperatorOutcome.Success());
        assertThat(poke("SELECT 'yes', 0")).isEqualTo(new OperatorOutcome.Success());
        assertThat(poke("SELECT 0")).isInstanceOf(OperatorOutcome.Reschedule.class);
        assertThat(poke("SELECT '0'")).isInstanceOf(OperatorOutcome.Reschedule.class);
        assertThat(poke("SELECT NULL")).isInstanceOf(OperatorOutcome.Reschedule.class);
        assertThat(poke("SELECT false")).isInstanceOf(OperatorOutcome.Reschedule.class);
        assertThat(poke("SELECT 1 WHERE false")).isInstanceOf(OperatorOutcome.Reschedule.class);
        assertThat(poke("SELECT %(n)s::int > 2", "parameters", Map.of("n", 3)))
                .isEqualTo(new OperatorOutcome.Success());
    }

    @Test
    void badSqlFails() throws Exception {
        OperatorOutcome outcome = poke("SELECT nope FROM nowhere");
        assertThat(((OperatorOutcome.Failed) outcome).reason()).contains("relation \"nowhere\" does not exist");
    }
}
