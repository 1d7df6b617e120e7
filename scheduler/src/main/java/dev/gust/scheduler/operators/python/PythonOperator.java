package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.util.Map;

/**
 * Airflow's PythonOperator: calls the task's callable in a Python subprocess (see
 * {@link PythonTaskProcess}). Its return value becomes XCom {@code return_value} (unless
 * {@code do_xcom_push: false}), and with {@code multiple_outputs} (a TaskFlow task's) each key of a
 * returned dict its own XCom too (the runner fails a non-dict); how exceptions end the task is
 * {@link PythonOutcomes}'.
 */
public final class PythonOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.PYTHON;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        PythonCall call = PythonCall.fromArgs(context);
        return PythonOutcomes.run(context, call, returned -> succeeded(context, call, returned));
    }

    /**
     * A callable that returned: its value pushed as XCom as the call asks, and success. Shared with
     * {@link ExternalPythonOperator}, which differs only in the interpreter.
     */
    static OperatorOutcome succeeded(TaskRunContext context, PythonCall call, PythonResult.Returned returned) {
        if (call.doXcomPush() && returned.value() != null) {
            context.pushXcom("return_value", returned.value());
            if (call.multipleOutputs() && returned.value() instanceof Map<?, ?> outputs) {
                outputs.forEach((key, value) -> context.pushXcom(String.valueOf(key), value));
            }
        }
        return OperatorOutcome.success();
    }
}
