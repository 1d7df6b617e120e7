package dev.gust.core.store;

import java.sql.SQLException;

/**
 * A failure of the metadata store that callers are not expected to recover from locally: an
 * SQL error, a broken connection. It keeps the driver's SQLSTATE so that a caller can tell a
 * constraint violation (for example {@link #isUniqueViolation()}) from an outage.
 */
public class StoreException extends RuntimeException {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CHECK_VIOLATION = "23514";

    private final String sqlState;

    public StoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
    }

    public StoreException(String message) {
        super(message);
        this.sqlState = null;
    }

    public String sqlState() {
        return sqlState;
    }

    public boolean isUniqueViolation() {
        return UNIQUE_VIOLATION.equals(sqlState);
    }

    public boolean isCheckViolation() {
        return CHECK_VIOLATION.equals(sqlState);
    }
}
