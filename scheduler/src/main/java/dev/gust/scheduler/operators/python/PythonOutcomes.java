package dev.gust.scheduler.operators.python;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.util.function.Function;

/**
 * What every Python operator does with its callable's end, in one place: runs the task's call,
 * logs the return value (unless {@code show_return_value_in_logs: false}) and hands it to the
 * operator; AirflowSkipException skips, AirflowFailException fails without retry, any other
 * exception fails the try, a process that died without a report fails it, and a missing
 * interpreter fails it with one line.
 */
public final class PythonOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PythonOutcomes() {}

    /** Runs the task's callable; {@code onReturn} turns its return into the outcome. */
    public static OperatorOutcome run(
            TaskRunContext context, PythonCall call, Function<PythonResult.Returned, OperatorOutcome> onReturn)
            throws InterruptedException {
        boolean showReturnValue = OperatorArgs.of(context).bool("show_return_value_in_logs", true);
        PythonResult result;
        try {
            result = PythonTaskProcess.run(context, call);
        } catch (PythonTaskProcess.MissingInterpreterException e) {
            return new OperatorOutcome.Failed(e.getMessage());
        }
        return switch (result) {
            case PythonResult.Returned returned -> {
                context.log()
                        .line(
                                showReturnValue
                                        ? "Done. Returned value was: " + display(returned.value())
                                        : "Done. Returned value not shown");
                yield onReturn.apply(returned);
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

    static String display(Object value) {
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
