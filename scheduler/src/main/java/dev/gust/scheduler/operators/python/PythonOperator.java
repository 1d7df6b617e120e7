package dev.gust.scheduler.operators.python;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;

/**
 * Airflow's PythonOperator: calls the task's callable in a Python subprocess (see
 * {@link PythonTaskProcess}). Its return value becomes XCom {@code return_value} (unless
 * {@code do_xcom_push: false}) and is logged (unless {@code show_return_value_in_logs: false});
 * AirflowSkipException skips the task, AirflowFailException fails it without retry, any other
 * exception fails the try (retried per {@code retries}) with the traceback in the log.
 */
public final class PythonOperator implements Operator {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.PYTHON;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        boolean showReturnValue = args.bool("show_return_value_in_logs", true);
        PythonCall call = PythonCall.fromArgs(context);
        PythonResult result;
        try {
            result = PythonTaskProcess.run(context, call);
        } catch (PythonTaskProcess.MissingInterpreterException e) {
            return new OperatorOutcome.Failed(e.getMessage());
        }
        return switch (result) {
            case PythonResult.Returned returned -> {
                Object value = returned.value();
                context.log()
                        .line(
                                showReturnValue
                                        ? "Done. Returned value was: " + display(value)
                                        : "Done. Returned value not shown");
                if (call.doXcomPush() && value != null) {
                    context.pushXcom("return_value", value);
                }
                yield OperatorOutcome.success();
            }
            case PythonResult.Skipped skipped ->
                new OperatorOutcome.Skipped("The callable raised AirflowSkipException" + suffix(skipped.message()));
            case PythonResult.FailedWithoutRetry failed ->
                new OperatorOutcome.FailedWithoutRetry(
                        "The callable raised " + failed.message() + " (AirflowFailException: no retry)");
            case PythonResult.Failed failed -> new OperatorOutcome.Failed("The callable failed: " + failed.message());
            case PythonResult.Died died -> new OperatorOutcome.Failed(died(died.exitCode()));
        };
    }

    static String died(int exitCode) {
        return "The Python process exited with code " + exitCode + " before reporting a result"
                + (exitCode < 0 || exitCode > 128 ? " (killed by a signal)" : "")
                + "; see the output above (python.interpreter must be Python 3)";
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }

    private static String display(Object value) {
        if (value == null) {
            return "None";
        }
        try {
            return value instanceof String s ? s : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
