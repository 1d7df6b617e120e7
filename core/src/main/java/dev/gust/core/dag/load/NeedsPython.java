package dev.gust.core.dag.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What in a DAG file needs Python that Gust cannot run yet (it runs the python operator's callable,
 * whose arguments its declaration accepts): Airflow's other Python operators, and
 * the keys of a DAG, a task or {@code default_args} whose value is Python code or the name of a
 * Python function (dag-factory's {@code python_callable*}, {@code op_kwargs},
 * {@code user_defined_macros}, {@code execution_date_fn}, {@code response_check} ...). They are
 * import errors that say so and name the key, never "unknown argument". The one place these
 * keys and the message are kept. Consulted only for what the {@code OperatorCatalog} does not
 * know: a class path or an argument that an installed operator declares (the Python runtime's
 * {@code python} operator takes {@code python_callable}, {@code op_kwargs} ...) is that
 * operator's, never "needs Python", so declaring an operator is all it takes to lift its refusal.
 */
final class NeedsPython {

    static final String WHAT_TO_DO = "Gust runs Python only as the python operator's callable"
            + " (operator: python, Airflow's PythonOperator; also external_python, python_virtualenv,"
            + " branch_python, short_circuit, python_sensor) so far, so this DAG cannot load;"
            + " use that, rewrite the task with bash, http, sql or ecs_run_task operators, or keep the DAG"
            + " in Airflow for now";

    /** dag-factory's keys of a task whose work is a Python callable (its operator may be implied). */
    static final String[] CALLABLE_TASK_KEYS = {
        "python_callable", "python_callable_name", "python_callable_file", "decorator"
    };

    /** Keys of a task (or of default_args) that are Python, with what they are. */
    private static final Map<String, String> PYTHON_TASK_KEYS = new LinkedHashMap<>();

    /** Keys of a DAG that are Python, with what they are. */
    private static final Map<String, String> PYTHON_DAG_KEYS = new LinkedHashMap<>();

    static {
        for (String key : CALLABLE_TASK_KEYS) {
            PYTHON_TASK_KEYS.put(key, "names the Python callable the task runs");
        }
        PYTHON_TASK_KEYS.put("decorator", "makes the task a TaskFlow (@task) Python function");
        for (String key : new String[] {"op_args", "op_kwargs", "templates_dict", "provide_context"}) {
            PYTHON_TASK_KEYS.put(key, "passes arguments to a Python callable");
        }
        for (String key : new String[] {"execution_date_fn", "execution_date_fn_name", "execution_date_fn_file"}) {
            PYTHON_TASK_KEYS.put(key, "computes the date to wait for with a Python function");
        }
        for (String base : new String[] {"response_check", "response_filter"}) {
            for (String suffix : new String[] {"", "_name", "_file", "_lambda"}) {
                PYTHON_TASK_KEYS.put(base + suffix, "checks or filters the HTTP response with a Python function");
            }
        }
        PYTHON_TASK_KEYS.put("pre_execute", "runs a Python function before the task");
        PYTHON_TASK_KEYS.put("post_execute", "runs a Python function after the task");
        PYTHON_DAG_KEYS.put("user_defined_macros", "adds Python functions and objects to templates");
        PYTHON_DAG_KEYS.put("user_defined_filters", "adds Python functions to templates as filters");
        for (String key :
                new String[] {"doc_md_python_callable", "doc_md_python_callable_name", "doc_md_python_callable_file"}) {
            PYTHON_DAG_KEYS.put(key, "builds the DAG's documentation with a Python function");
        }
        PYTHON_DAG_KEYS.put(
                "doc_md_python_arguments", "passes arguments to a Python function building the documentation");
    }

    private NeedsPython() {}

    /** What the task key is in Python terms, or null when it is not a Python key. */
    static String taskKey(String key) {
        return PYTHON_TASK_KEYS.get(key);
    }

    /** What the DAG key is in Python terms, or null when it is not a Python key. */
    static String dagKey(String key) {
        return PYTHON_DAG_KEYS.get(key);
    }

    /** The message for {@code key} of {@code where} ("DAG 'd', task 't'"), which is {@code what}. */
    static String message(String where, String key, String what) {
        return where + ": '" + key + "' " + what + "; this needs Python: " + WHAT_TO_DO;
    }

    /**
     * Airflow's operators whose work is a Python callable that the catalog does not declare
     * (the branch virtualenv one, @task decorators; the python, external_python, python_virtualenv,
     * branch_python, short_circuit and python_sensor operators it does): unknown to Gust for a reason worth saying, not as a typo.
     */
    static boolean operator(String operator) {
        String simpleName = operator.substring(operator.lastIndexOf('.') + 1);
        return simpleName.contains("Python")
                || simpleName.equals("ShortCircuitOperator")
                || operator.startsWith("airflow.decorators")
                || operator.startsWith("airflow.sdk")
                || operator.contains(".python.");
    }

    /** Whether a callback value is a webhook URL (an HTTP callback) rather than Python. */
    static boolean isWebhook(Object value) {
        return value instanceof String text
                && (text.trim().startsWith("http://") || text.trim().startsWith("https://"));
    }
}
