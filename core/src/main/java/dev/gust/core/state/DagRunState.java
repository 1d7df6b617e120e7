package dev.gust.core.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The states of a DAG run: queued, running, then success or failed. Which state may follow which
 * is {@link DagRunTransition}'s business.
 */
public enum DagRunState {
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED;

    /** A run the scheduling loop still works on. */
    public static final Set<DagRunState> UNFINISHED = Collections.unmodifiableSet(EnumSet.of(QUEUED, RUNNING));

    /** A run that ended; only a clear or a user's mark moves it again. */
    public static final Set<DagRunState> FINISHED = Collections.unmodifiableSet(EnumSet.of(SUCCESS, FAILED));

    private final String dbName = name().toLowerCase(Locale.ROOT);

    public String dbName() {
        return dbName;
    }

    public static DagRunState fromDbName(String name) {
        return Arrays.stream(values())
                .filter(s -> s.dbName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown DAG run state '" + name + "'"));
    }

    public boolean isFinished() {
        return FINISHED.contains(this);
    }
}
