package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;

/**
 * Airflow's PythonOperator: calls the task's callable in a Python subprocess (see
 * {@link PythonTaskProcess}). Its return value becomes XCom {@code return_value} (unless
 * {@code do_xcom_push: false}); how exceptions end the task is {@link PythonOutcomes}'.
 */
public final class PythonOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.PYTHON;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        PythonCall call = PythonCall.fromArgs(context);
        return PythonOutcomes.run(context, call, returned -> {
            if (call.doXcomPush() && returned.value() != null) {
                context.pushXcom("return_value", returned.value());
            }
            return OperatorOutcome.success();
        });
    }
}
