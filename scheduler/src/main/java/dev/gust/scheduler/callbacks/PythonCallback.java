package dev.gust.scheduler.callbacks;

import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.scheduler.operators.python.PythonCall;
import dev.gust.scheduler.operators.python.PythonResult;
import dev.gust.scheduler.operators.python.PythonTaskProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python callback: the function run by the Python task runner (a fresh interpreter, the task
 * environment, the DAG folder and python.path on sys.path), called as Airflow calls callbacks,
 * with the context (Airflow's, plus {@code exception} as text, {@code reason} for a DAG's
 * callbacks, {@code state} and {@code event}) and the callback's keyword arguments (rendered). What
 * it prints goes to the log; a raise fails the callback.
 */
final class PythonCallback {

    /** Where the runner looks for a callback's own context (gust_task_runner.py's CALLBACK_CONTEXT). */
    static final String CALLBACK_CONTEXT = "__gust_callback_context__";

    private PythonCallback() {}

    @SuppressWarnings("unchecked") // rendering keeps a map a map
    static String run(
            CallbackSpec.Python spec, CallbackInvocation invocation, CallbackServices services, CallbackLog log)
            throws CallbackFailure, InterruptedException {
        Map<String, Object> kwargs =
                (Map<String, Object>) invocation.render("kwargs", new LinkedHashMap<>(spec.kwargs()));
        PythonCall call;
        if (spec.callable() != null) {
            int dot = spec.callable().lastIndexOf('.');
            call = new PythonCall(
                    spec.callable().substring(0, dot),
                    null,
                    spec.callable().substring(dot + 1),
                    List.of(),
                    kwargs,
                    Map.of(CALLBACK_CONTEXT, invocation.plainContext()),
                    false,
                    null,
                    false);
        } else {
            Path file = services.python().dagsFolder().resolve(spec.file()).normalize();
            call = new PythonCall(
                    null,
                    file,
                    spec.name(),
                    List.of(),
                    kwargs,
                    Map.of(CALLBACK_CONTEXT, invocation.plainContext()),
                    false,
                    null,
                    false);
        }
        PythonResult result;
        try {
            result = PythonTaskProcess.run(new CallbackRunContext(invocation, services, log), call);
        } catch (PythonTaskProcess.MissingInterpreterException e) {
            throw new CallbackFailure(e.getMessage());
        }
        return switch (result) {
            case PythonResult.Returned r -> "Python callback " + call.describe() + " returned";
            case PythonResult.Skipped s -> "Python callback " + call.describe() + " skipped: " + s.message();
            case PythonResult.Failed f -> throw new CallbackFailure("Python callback raised " + f.message());
            case PythonResult.FailedWithoutRetry f ->
                throw new CallbackFailure("Python callback raised " + f.message());
            case PythonResult.Died d ->
                throw new CallbackFailure("the Python process ended with exit code " + d.exitCode() + " before"
                        + " reporting; see the output above");
        };
    }
}
