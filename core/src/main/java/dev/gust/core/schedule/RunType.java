package dev.gust.core.schedule;

import java.util.Arrays;
import java.util.Optional;

/** Why a DAG run exists; its {@link #prefix()} starts the run id, as Airflow's {@code DagRunType}. */
public enum RunType {
    SCHEDULED("scheduled"),
    MANUAL("manual"),
    BACKFILL("backfill"),
    DATASET_TRIGGERED("dataset_triggered");

    private final String prefix;

    RunType(String prefix) {
        this.prefix = prefix;
    }

    /** The value stored as {@code run_type} and used before {@code __} in run ids. */
    public String prefix() {
        return prefix;
    }

    public static Optional<RunType> fromPrefix(String prefix) {
        return Arrays.stream(values()).filter(t -> t.prefix.equals(prefix)).findFirst();
    }
}
