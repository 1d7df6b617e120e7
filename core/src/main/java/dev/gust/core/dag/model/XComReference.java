package dev.gust.core.dag.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An argument of a Python task that takes another task's output: what a DAG file writes as
 * dag-factory's {@code +task_id} (or {@code +task_id['key']}) in a TaskFlow task's keyword
 * arguments. The loader stores it in the task's {@code op_kwargs} (or {@code op_args}) as the JSON
 * object {@code {"__gust_xcom__": {"task_id": "<id>", "key": "<key>"}}} and makes that task an
 * upstream of this one; the Python runtime replaces each such object with the XCom it names (of
 * the same DAG run) before calling the function. The object is plain JSON so that it survives
 * the DAG's serialization and the trip to the Python process unchanged. The one place the shape
 * of that object is defined, for both sides.
 */
public record XComReference(String taskId, String key) {

    /** The single key of the object that stands for an XCom pull. */
    public static final String MARKER = "__gust_xcom__";

    /** The key a task's return value is pushed under, and the one a plain {@code +task_id} pulls. */
    public static final String RETURN_VALUE = "return_value";

    public XComReference {
        if (taskId == null || taskId.isEmpty()) {
            throw new IllegalArgumentException("an XCom reference needs a task id");
        }
        key = key == null ? RETURN_VALUE : key;
    }

    /** The marker object pulling {@code key} of task {@code taskId}: {@code {"__gust_xcom__": {"task_id": ..., "key": ...}}}. */
    public static Map<String, Object> of(String taskId, String key) {
        return new XComReference(taskId, key).toMarker();
    }

    /** This reference as the marker object stored in the task's arguments. */
    public Map<String, Object> toMarker() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("task_id", taskId);
        inner.put("key", key);
        return Map.of(MARKER, inner);
    }

    /** The reference {@code value} stands for, when it is a marker object (and nothing else). */
    public static Optional<XComReference> from(Object value) {
        if (value instanceof Map<?, ?> map
                && map.size() == 1
                && map.get(MARKER) instanceof Map<?, ?> inner
                && inner.get("task_id") instanceof String taskId
                && (inner.get("key") == null || inner.get("key") instanceof String)) {
            return Optional.of(new XComReference(taskId, (String) inner.get("key")));
        }
        return Optional.empty();
    }
}
