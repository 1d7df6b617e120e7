package dev.gust.core.store;

/**
 * What {@link Database#check()} found: whether the database answered, the schema version it is
 * at (null before the first migration), how many migrations are waiting, and when it did not
 * answer, the one-line reason.
 */
public record DatabaseStatus(boolean reachable, String schemaVersion, int pendingMigrations, String problem) {

    static DatabaseStatus unreachable(String problem) {
        return new DatabaseStatus(false, null, 0, problem);
    }

    public boolean upToDate() {
        return reachable && pendingMigrations == 0;
    }
}
