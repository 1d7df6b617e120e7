package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.branch.BranchOperator;
import java.util.List;

/**
 * Airflow's BranchPythonOperator: the callable returns the direct downstream task id to follow,
 * a list of them, or None to follow none; the others are skipped, as the {@code branch}
 * operator does with its choice.
 */
public final class BranchPythonOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.BRANCH_PYTHON;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        PythonCall call = PythonCall.fromArgs(context);
        return PythonOutcomes.run(context, call, returned -> switch (returned.value()) {
            case null -> BranchOperator.follow(context, List.of());
            case String id -> BranchOperator.follow(context, List.of(id));
            case List<?> ids
            when ids.stream().allMatch(id -> id instanceof String) ->
                BranchOperator.follow(
                        context, ids.stream().map(String.class::cast).toList());
            default ->
                new OperatorOutcome.Failed("The branch callable returned " + PythonOutcomes.display(returned.value())
                        + "; it must return a task id, a list of task ids, or None");
        });
    }
}
