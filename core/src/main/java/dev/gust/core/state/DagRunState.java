package dev.gust.core.state;

import java.util.Arrays;
import java.util.Locale;

/** The states of a DAG run: queued, running, then success or failed. */
public enum DagRunState {
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DagRunState fromDbName(String name) {
        return Arrays.stream(values()).filter(s -> s.dbName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown DAG run state '" + name + "'"));
    }

    public boolean isFinished() {
        return this == SUCCESS || this == FAILED;
    }
}
