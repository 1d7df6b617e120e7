package dev.gust.scheduler.operators.sql;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.sensors.Sensor;
import dev.gust.scheduler.operators.sensors.SensorFailedException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;

/**
 * Airflow's SqlSensor: runs {@code sql} (with {@code parameters}, as the {@code sql} operator) on a
 * postgres connection until the first cell of the first row is truthy, i.e. not null, 0,
 * {@code '0'}, {@code ''} or false. No row at all is "not yet". A SQL error fails the sensor.
 */
public final class SqlSensor implements Sensor {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.SQL_SENSOR;
    }

    @Override
    public boolean poke(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        var details = PostgresConnector.details(context, args.requiredString("conn_id"));
        List<SqlScriptRunner.Script> scripts = SqlOperator.scripts(args.raw("sql"), args.raw("parameters"));
        QueryResult result;
        try {
            result = SqlScriptRunner.run(details, scripts, new SqlScriptRunner.Settings(true, 1), context.log());
        } catch (SQLException e) {
            throw new SensorFailedException("SQL failed: " + e.getMessage());
        }
        if (result.rows().isEmpty() || result.rows().getFirst().isEmpty()) {
            context.log().info("No rows yet");
            return false;
        }
        Object first = result.rows().getFirst().getFirst();
        context.log().info("First cell: %s", first);
        return truthy(first);
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean bool -> bool;
            case BigDecimal decimal -> decimal.signum() != 0;
            case Number number -> number.doubleValue() != 0;
            case String text -> !text.isEmpty() && !text.equals("0");
            default -> true;
        };
    }
}
