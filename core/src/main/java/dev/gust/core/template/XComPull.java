package dev.gust.core.template;

import com.hubspot.jinjava.el.ext.AbstractCallableMethod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ti.xcom_pull(...)} with Airflow's signature:
 * {@code xcom_pull(task_ids, dag_id=None, key='return_value', include_prior_dates=False,
 * map_indexes=None, default=<missing>)}, positional or by keyword. One task id gives one value,
 * a list of task ids (or of map indexes) gives the list of the values found. A missing single
 * value is a problem unless {@code default=} is given (Airflow returns None; Gust is strict).
 */
final class XComPull extends AbstractCallableMethod {

    private static final Object NOT_GIVEN = new Object();

    private final TemplateContext context;
    private final RenderProblems problems;

    XComPull(TemplateContext context, RenderProblems problems) {
        super("xcom_pull", parameters());
        this.context = context;
        this.problems = problems;
    }

    private static LinkedHashMap<String, Object> parameters() {
        LinkedHashMap<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("task_ids", null);
        parameters.put("dag_id", null);
        parameters.put("key", "return_value");
        parameters.put("include_prior_dates", false);
        parameters.put("map_indexes", null);
        parameters.put("default", NOT_GIVEN);
        return parameters;
    }

    @Override
    public Object doEvaluate(Map<String, Object> args, Map<String, Object> kwargs, List<Object> varArgs) {
        if (!kwargs.isEmpty() || !varArgs.isEmpty()) {
            problems.report("xcom_pull() got unexpected arguments " + (kwargs.isEmpty() ? varArgs : kwargs.keySet())
                    + "; it takes task_ids, dag_id, key, include_prior_dates, map_indexes, default");
            return null;
        }
        Object taskIds = args.get("task_ids");
        if (taskIds == null) {
            problems.report("xcom_pull() needs task_ids, e.g. ti.xcom_pull(task_ids='extract')");
            return null;
        }
        if (Boolean.TRUE.equals(args.get("include_prior_dates"))) {
            problems.report("xcom_pull(include_prior_dates=True) is not supported by Gust");
            return null;
        }
        String dagId = args.get("dag_id") == null ? context.dagId() : String.valueOf(args.get("dag_id"));
        String key = String.valueOf(args.get("key"));
        Object mapIndexes = args.get("map_indexes");
        List<Integer> indexes = mapIndexes == null ? List.of(XComLookup.UNMAPPED) : integers(mapIndexes);

        if (taskIds instanceof Collection<?> || mapIndexes instanceof Collection<?>) {
            List<Object> values = new ArrayList<>();
            for (Object taskId : taskIds instanceof Collection<?> c ? c : List.of(taskIds)) {
                for (int index : indexes) {
                    context.xcoms()
                            .pull(dagId, String.valueOf(taskId), key, index)
                            .ifPresent(v -> values.add(StrictNamespace.strict("xcom", v, problems)));
                }
            }
            return values;
        }
        String taskId = String.valueOf(taskIds);
        Optional<Object> value = context.xcoms().pull(dagId, taskId, key, indexes.getFirst());
        if (value.isPresent()) {
            return StrictNamespace.strict("xcom from '" + taskId + "'", value.get(), problems);
        }
        Object fallback = args.get("default");
        if (fallback != NOT_GIVEN) {
            return fallback;
        }
        problems.report("no XCom '" + key + "' from task '" + taskId + "'"
                + (indexes.getFirst() == XComLookup.UNMAPPED ? "" : " (map index " + indexes.getFirst() + ")")
                + " in this run of DAG '" + dagId + "'; did the task run and push it? "
                + "Pass default=... to xcom_pull to allow a missing value");
        return null;
    }

    private static List<Integer> integers(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(v -> ((Number) v).intValue()).toList();
        }
        return List.of(((Number) value).intValue());
    }
}
