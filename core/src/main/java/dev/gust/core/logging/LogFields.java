package dev.gust.core.logging;

import dev.gust.core.store.runs.TaskInstanceKey;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The DAG, run, task and try a thread is working on, as fields of every log line it writes
 * ({@code dag_id}, {@code run_id}, {@code task_id}, {@code map_index}, {@code try_number} in the
 * JSON log's {@code mdc} object), so that CloudWatch Logs Insights can filter by them. Closing
 * restores what the thread had before, so nested scopes (a run, then one of its tasks) work.
 */
public final class LogFields implements AutoCloseable {

    public static final String DAG_ID = "dag_id";
    public static final String RUN_ID = "run_id";
    public static final String TASK_ID = "task_id";
    public static final String MAP_INDEX = "map_index";
    public static final String TRY_NUMBER = "try_number";

    private final Map<String, String> previous;

    private LogFields(Map<String, String> previous) {
        this.previous = previous;
    }

    /** A try of a task instance. */
    public static LogFields of(TaskInstanceKey key, int tryNumber) {
        LogFields scope = new LogFields(MDC.getCopyOfContextMap());
        MDC.put(DAG_ID, key.dagId());
        MDC.put(RUN_ID, key.runId());
        MDC.put(TASK_ID, key.taskId());
        if (key.mapIndex() >= 0) {
            MDC.put(MAP_INDEX, Integer.toString(key.mapIndex()));
        }
        MDC.put(TRY_NUMBER, Integer.toString(tryNumber));
        return scope;
    }

    /** A DAG run. */
    public static LogFields ofRun(String dagId, String runId) {
        LogFields scope = new LogFields(MDC.getCopyOfContextMap());
        MDC.put(DAG_ID, dagId);
        MDC.put(RUN_ID, runId);
        return scope;
    }

    /** A DAG. */
    public static LogFields ofDag(String dagId) {
        LogFields scope = new LogFields(MDC.getCopyOfContextMap());
        MDC.put(DAG_ID, dagId);
        return scope;
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(previous);
        }
    }
}
