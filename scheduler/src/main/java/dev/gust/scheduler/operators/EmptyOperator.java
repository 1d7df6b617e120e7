package dev.gust.scheduler.operators;

/** Airflow's EmptyOperator: does nothing and succeeds, to group or join tasks. */
public final class EmptyOperator implements Operator {

    @Override
    public String name() {
        return "empty";
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) {
        return OperatorOutcome.success();
    }
}
