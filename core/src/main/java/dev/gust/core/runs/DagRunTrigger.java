package dev.gust.core.runs;

import java.time.Instant;
import java.util.Map;

/** Creates a manual DAG run (the CLI, the API, and the {@code trigger_dagrun} operator). */
public interface DagRunTrigger {

    /**
     * @param logicalDate null for now
     * @param note the run's note, shown with it in the UI and the API; null for none
     * @return the new run's id
     */
    String trigger(String dagId, Map<String, Object> conf, Instant logicalDate, String note);
}
