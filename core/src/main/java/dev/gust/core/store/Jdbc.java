package dev.gust.core.store;

import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The one place where Gust runs SQL: statements with {@code :name} parameters, bound from
 * {@link Params}, on a pooled connection or, inside {@link #inTransaction}, on the
 * transaction's connection. Java values are bound the way PostgreSQL wants them: an
 * {@link Instant} as {@code timestamptz}, a collection of strings as {@code text[]}, bytes as
 * {@code bytea}, a task instance or DAG run state (alone or in a collection) as its database
 * name; JSON columns take a string and a {@code CAST(:x AS jsonb)} in the SQL.
 */
public final class Jdbc {

    private final DataSource dataSource;
    private final Connection transaction;

    public Jdbc(DataSource dataSource) {
        this(dataSource, null);
    }

    private Jdbc(DataSource dataSource, Connection transaction) {
        this.dataSource = dataSource;
        this.transaction = transaction;
    }

    public <T> List<T> query(String sql, Params params, RowMapper<T> mapper) {
        return run(sql, params, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, Params params, RowMapper<T> mapper) {
        List<T> rows = query(sql, params, mapper);
        if (rows.size() > 1) {
            throw new StoreException("expected at most one row, got " + rows.size() + " for: " + sql);
        }
        return rows.stream().findFirst();
    }

    /** Runs an INSERT, UPDATE or DELETE and returns the number of rows it touched. */
    public int update(String sql, Params params) {
        return run(sql, params, PreparedStatement::executeUpdate);
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     * Nested calls join the outer transaction.
     */
    public <T> T inTransaction(Function<Jdbc, T> work) {
        if (transaction != null) {
            return work.apply(this);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.apply(new Jdbc(dataSource, connection));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("transaction failed", e);
        }
    }

    /** Reads a {@code timestamptz} column as an instant, or null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        return instant(row, row.findColumn(column));
    }

    /** As {@link #instant(ResultSet, String)}, by position: no lookup of the column's name per row. */
    public static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Reads an integer column that may be NULL. */
    public static Integer nullableInt(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    /** Reads a {@code text[]} column as a list (empty for NULL). */
    public static List<String> textList(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return List.of();
        }
        return List.of((String[]) array.getArray());
    }

    @FunctionalInterface
    private interface StatementWork<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    private <T> T run(String sql, Params params, StatementWork<T> work) {
        NamedSql named = NamedSql.parse(sql);
        try {
            if (transaction != null) {
                return execute(transaction, named, params, work);
            }
            try (Connection connection = dataSource.getConnection()) {
                return execute(connection, named, params, work);
            }
        } catch (SQLException e) {
            throw new StoreException("SQL failed [" + oneLine(sql) + "]", e);
        }
    }

    private static <T> T execute(Connection connection, NamedSql named, Params params, StatementWork<T> work)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(named.jdbcSql())) {
            List<String> names = named.parameterNames();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!params.has(name)) {
                    throw new IllegalArgumentException("no value for parameter :" + name);
                }
                bind(connection, statement, i + 1, params.get(name));
            }
            return work.apply(statement);
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        switch (value) {
            case null -> statement.setNull(index, Types.NULL);
            case Instant instant -> statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
            case byte[] bytes -> statement.setBytes(index, bytes);
            case TaskState state -> statement.setString(index, state.dbName());
            case DagRunState state -> statement.setString(index, state.dbName());
            case Collection<?> items ->
                statement.setArray(
                        index,
                        connection.createArrayOf(
                                "text", items.stream().map(Jdbc::text).toArray()));
            case String[] items -> statement.setArray(index, connection.createArrayOf("text", items));
            default -> statement.setObject(index, value);
        }
    }

    /**
     * An array element as text: a state under its database name, so that a group of states binds
     * as {@code state = ANY(:states)}.
     */
    private static String text(Object item) {
        return switch (item) {
            case TaskState state -> state.dbName();
            case DagRunState state -> state.dbName();
            default -> String.valueOf(item);
        };
    }

    private static String oneLine(String sql) {
        return sql.replaceAll("\\s+", " ").trim();
    }
}
