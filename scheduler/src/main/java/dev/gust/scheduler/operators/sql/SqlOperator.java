package dev.gust.scheduler.operators.sql;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.sql.SQLException;
import java.util.List;

/**
 * Airflow's SQLExecuteQueryOperator on a PostgreSQL connection ({@code conn_id}). {@code sql}
 * is a script (statements separated by {@code ;}) or a list of them, run in order in one
 * transaction that commits at the end (unless {@code autocommit: true}), and rolled back when
 * any statement fails. {@code parameters} bind psycopg-style placeholders: a mapping for
 * {@code %(name)s}, a list for {@code %s}. The rows of the last statement that returned rows
 * are pushed as XCom {@code return_value}, a list of lists; more than {@code max_rows}
 * (default 1000) fails the task instead of silently truncating the data downstream tasks get.
 */
public final class SqlOperator implements Operator {

    static final int DEFAULT_MAX_ROWS = 1000;

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.SQL;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        var details = PostgresConnector.details(context, args.requiredString("conn_id"));
        Object parameters = args.raw("parameters");
        List<SqlScriptRunner.Script> scripts = scripts(args.raw("sql"), parameters);
        int maxRows = args.integer("max_rows", DEFAULT_MAX_ROWS);
        if (maxRows < 1) {
            throw new InvalidArgumentException("argument 'max_rows' must be at least 1, got " + maxRows);
        }
        QueryResult result;
        try {
            result = SqlScriptRunner.run(
                    details,
                    scripts,
                    new SqlScriptRunner.Settings(args.bool("autocommit", false), maxRows),
                    context.log());
        } catch (SQLException e) {
            return new OperatorOutcome.Failed("SQL failed: " + e.getMessage());
        }
        if (result.overLimit()) {
            return new OperatorOutcome.Failed("The query returned more than max_rows=" + maxRows + " rows; add a "
                    + "LIMIT, or raise max_rows (the rows go to XCom, which is stored in the metadata database)");
        }
        context.log()
                .info(
                        "%d statement(s) run; %d row(s) returned",
                        result.statements(), result.rows().size());
        if (result.hasRows() && args.bool("do_xcom_push", true)) {
            context.pushXcom("return_value", result.rows());
        }
        return OperatorOutcome.success();
    }

    static List<SqlScriptRunner.Script> scripts(Object sql, Object parameters) {
        List<?> texts = switch (sql) {
            case null -> throw new InvalidArgumentException("argument 'sql' is required");
            case List<?> list -> list;
            default -> List.of(sql);
        };
        List<SqlScriptRunner.Script> scripts = texts.stream()
                .map(Object::toString)
                .filter(s -> !s.isBlank())
                .map(s -> new SqlScriptRunner.Script(s, parameters))
                .toList();
        if (scripts.isEmpty()) {
            throw new InvalidArgumentException("argument 'sql' holds no statement");
        }
        return scripts;
    }
}
