package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.model.XComReference;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.TaskRunContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Python task's arguments with each {@link XComReference} marker (a TaskFlow task's
 * {@code +task} argument) replaced by the XCom it names, of this DAG run, at any depth in lists
 * and maps: what Airflow's XComArg resolves to before the function is called. As Airflow, a
 * missing return value is None, and a missing other key fails the task; the value is pulled on
 * the Java side, once before the process starts, so the callable sees plain values.
 */
final class XComArguments {

    private XComArguments() {}

    /** {@code value} with every marker in it replaced by its XCom. */
    static Object resolve(Object value, TaskRunContext context) {
        Optional<XComReference> reference = XComReference.from(value);
        if (reference.isPresent()) {
            return pull(reference.get(), context);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> resolved.put(String.valueOf(k), resolve(v, context)));
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>(list.size());
            list.forEach(v -> resolved.add(resolve(v, context)));
            return resolved;
        }
        return value;
    }

    private static Object pull(XComReference reference, TaskRunContext context) {
        Optional<Object> value = context.pullXcom(context.dagId(), reference.taskId(), reference.key());
        if (value.isPresent() || reference.key().equals(XComReference.RETURN_VALUE)) {
            return value.orElse(null);
        }
        throw new InvalidArgumentException("the XCom '" + reference.key() + "' of task '" + reference.taskId()
                + "' (an argument written +" + reference.taskId() + "['" + reference.key() + "']) was not pushed;"
                + " return a dict with that key from a task with multiple_outputs: true, or push it with"
                + " ti.xcom_push");
    }
}
