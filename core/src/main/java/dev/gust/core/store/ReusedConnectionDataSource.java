package dev.gust.core.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source of a command that runs for a moment ({@code gust dags list}): one connection,
 * opened when first asked for and handed out again each time, instead of a HikariCP pool. A pool
 * opens several connections as it starts, each a SCRAM handshake whose key derivation costs a
 * JVM that has just started tens of milliseconds of CPU, and loads HikariCP's classes for a
 * command that runs one or two statements. A second borrower while the connection is out (a
 * nested call, another thread) gets a connection of its own, closed when it is given back, so
 * nothing waits; a connection given back inside a transaction is rolled back, as a pool does.
 */
final class ReusedConnectionDataSource implements DataSource, AutoCloseable {

    /** Opens a new physical connection. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private Connection idle;
    private boolean closed;

    ReusedConnectionDataSource(Connector connector) {
        this.connector = connector;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical;
        synchronized (this) {
            if (closed) {
                throw new SQLException("the database is closed");
            }
            physical = idle;
            idle = null;
        }
        if (physical == null || physical.isClosed()) {
            physical = connector.connect();
        }
        return handle(physical);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the credentials are the configured ones");
    }

    /** Closes the kept connection; one still out is closed when given back. */
    @Override
    public void close() {
        Connection physical;
        synchronized (this) {
            closed = true;
            physical = idle;
            idle = null;
        }
        closeQuietly(physical);
    }

    private void giveBack(Connection physical) {
        try {
            if (physical.isClosed()) {
                return;
            }
            if (!physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
        } catch (SQLException e) {
            closeQuietly(physical);
            return;
        }
        synchronized (this) {
            if (!closed && idle == null) {
                idle = physical;
                return;
            }
        }
        closeQuietly(physical);
    }

    /** The connection as the borrower sees it: closing it gives it back. */
    private Connection handle(Connection physical) {
        InvocationHandler handler = new InvocationHandler() {
            private boolean returned;

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close" -> {
                        if (!returned) {
                            returned = true;
                            giveBack(physical);
                        }
                        return null;
                    }
                    case "isClosed" -> {
                        return returned || physical.isClosed();
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    default -> {
                        if (returned) {
                            throw new SQLException("connection already closed");
                        }
                    }
                }
                try {
                    return method.invoke(physical, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection)
                Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a connection the server already dropped: nothing to do
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log of its own
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the driver's connectTimeout and loginTimeout properties apply
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
