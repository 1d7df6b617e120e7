package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;

/**
 * Airflow's ExternalPythonOperator: the python operator run by the interpreter the task names in
 * {@code python} (a virtualenv's {@code bin/python}, another version) instead of
 * {@code python.interpreter}; the callable is imported there, so the packages it needs are that
 * interpreter's.
 */
public final class ExternalPythonOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.EXTERNAL_PYTHON;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        PythonCall call = PythonCall.fromArgs(context);
        return PythonOutcomes.run(context, call, returned -> PythonOperator.succeeded(context, call, returned));
    }
}
