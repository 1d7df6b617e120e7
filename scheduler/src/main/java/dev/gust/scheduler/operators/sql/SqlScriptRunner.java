package dev.gust.scheduler.operators.sql;

import dev.gust.scheduler.operators.TaskLogWriter;
import dev.gust.scheduler.operators.TaskRunContext.ConnectionDetails;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs SQL scripts on one PostgreSQL connection. Each script may hold several statements
 * separated by {@code ;} (the PostgreSQL driver splits them, so quotes, comments and
 * dollar-quoted bodies are handled as the server would); with parameters it is one prepared
 * statement. The work runs on a virtual thread so that an interrupt of the task's thread can
 * cancel the running statement on the server ({@code pg_cancel_backend}) and return promptly.
 */
final class SqlScriptRunner {

    record Script(String sql, Object parameters) {}

    record Settings(boolean autocommit, int maxRows) {}

    private SqlScriptRunner() {}

    static QueryResult run(ConnectionDetails details, List<Script> scripts, Settings settings, TaskLogWriter log)
            throws SQLException, InterruptedException {
        AtomicReference<Statement> running = new AtomicReference<>();
        CompletableFuture<QueryResult> work = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("sql-task").start(() -> {
            try {
                work.complete(runAll(details, scripts, settings, log, running));
            } catch (Throwable t) {
                work.completeExceptionally(t);
            }
        });
        try {
            return work.get();
        } catch (InterruptedException e) {
            Statement statement = running.get();
            if (statement != null) {
                try {
                    statement.cancel();
                } catch (SQLException ignored) {
                    // The connection is closed below anyway.
                }
            }
            log.line("Received interrupt (timeout or clear): the running statement was cancelled");
            worker.join(5000);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static QueryResult runAll(
            ConnectionDetails details,
            List<Script> scripts,
            Settings settings,
            TaskLogWriter log,
            AtomicReference<Statement> running)
            throws SQLException {
        try (Connection connection = PostgresConnector.open(details)) {
            connection.setAutoCommit(settings.autocommit());
            try {
                QueryResult last = QueryResult.none(0);
                int statements = 0;
                for (Script script : scripts) {
                    QueryResult result = runOne(connection, script, settings, log, running);
                    statements += result.statements();
                    if (result.hasRows()) {
                        last = result;
                    }
                }
                if (!settings.autocommit()) {
                    connection.commit();
                }
                return new QueryResult(last.columns(), last.rows(), last.overLimit(), statements);
            } catch (SQLException | RuntimeException e) {
                if (!settings.autocommit() && !connection.isClosed()) {
                    connection.rollback();
                }
                throw e;
            }
        }
    }

    private static QueryResult runOne(
            Connection connection,
            Script script,
            Settings settings,
            TaskLogWriter log,
            AtomicReference<Statement> running)
            throws SQLException {
        log.info("Running statement: %s", script.sql().strip());
        boolean hasResults;
        Statement statement;
        if (script.parameters() == null) {
            // A plain statement: a literal ? (jsonb operators) is not a placeholder here.
            statement = connection.createStatement();
            running.set(statement);
            statement.setMaxRows(settings.maxRows() + 1);
            hasResults = statement.execute(script.sql());
        } else {
            SqlPlaceholders bound = SqlPlaceholders.bind(script.sql(), script.parameters());
            PreparedStatement prepared = connection.prepareStatement(bound.sql());
            statement = prepared;
            running.set(statement);
            for (int i = 0; i < bound.values().size(); i++) {
                prepared.setObject(i + 1, bound.values().get(i));
            }
            prepared.setMaxRows(settings.maxRows() + 1);
            hasResults = prepared.execute();
        }
        try (statement) {
            QueryResult last = QueryResult.none(0);
            int count = 0;
            while (true) {
                if (hasResults) {
                    try (ResultSet rs = statement.getResultSet()) {
                        last = read(rs, settings.maxRows(), count + 1);
                    }
                } else if (statement.getUpdateCount() == -1) {
                    break;
                } else {
                    log.info("Rows affected: %d", statement.getUpdateCount());
                }
                count++;
                hasResults = statement.getMoreResults();
            }
            return new QueryResult(last.columns(), last.rows(), last.overLimit(), count);
        } finally {
            running.set(null);
        }
    }

    private static QueryResult read(ResultSet rs, int maxRows, int statements) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            columns.add(meta.getColumnLabel(c));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean overLimit = false;
        while (rs.next()) {
            if (rows.size() == maxRows) {
                overLimit = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int c = 1; c <= columns.size(); c++) {
                row.add(value(rs, meta, c));
            }
            rows.add(row);
        }
        return new QueryResult(columns, rows, overLimit, statements);
    }

    /** A cell as a JSON-able value: numbers, text and booleans as they are, times as ISO-8601 text. */
    static Object value(ResultSet rs, ResultSetMetaData meta, int c) throws SQLException {
        Object value = switch (meta.getColumnType(c)) {
            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(c, OffsetDateTime.class);
            case Types.TIMESTAMP ->
                "timestamptz".equals(meta.getColumnTypeName(c))
                        ? rs.getObject(c, OffsetDateTime.class)
                        : rs.getObject(c, LocalDateTime.class);
            case Types.DATE -> rs.getObject(c, LocalDate.class);
            case Types.TIME -> rs.getObject(c, LocalTime.class);
            default -> rs.getObject(c);
        };
        return switch (value) {
            case null -> null;
            case Number number -> number;
            case Boolean bool -> bool;
            case String text -> text;
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case Array array -> arrayValues(array);
            default -> value.toString();
        };
    }

    private static List<Object> arrayValues(Array array) throws SQLException {
        List<Object> values = new ArrayList<>();
        for (Object element : (Object[]) array.getArray()) {
            values.add(
                    element instanceof Number || element instanceof Boolean || element == null
                            ? element
                            : element.toString());
        }
        return values;
    }
}
