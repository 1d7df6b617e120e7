package dev.gust.scheduler.operators;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;

/** Airflow's EmptyOperator: does nothing and succeeds, to group or join tasks. */
public final class EmptyOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.EMPTY;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) {
        return OperatorOutcome.success();
    }
}
