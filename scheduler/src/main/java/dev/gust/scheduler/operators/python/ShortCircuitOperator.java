package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;

/**
 * Airflow's ShortCircuitOperator: a truthy return value lets the downstream tasks run; a falsy
 * one skips them: every task downstream, whatever its trigger rule, by default; only the direct
 * downstream tasks with {@code ignore_downstream_trigger_rules: false}, the rest then following
 * their trigger rules. The value is pushed as XCom {@code return_value} either way.
 */
public final class ShortCircuitOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.SHORT_CIRCUIT;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        PythonCall call = PythonCall.fromArgs(context);
        boolean allDownstream = OperatorArgs.of(context).bool("ignore_downstream_trigger_rules", true);
        return PythonOutcomes.run(context, call, returned -> {
            if (call.doXcomPush() && returned.value() != null) {
                context.pushXcom("return_value", returned.value());
            }
            context.log().info("Condition result is %s", returned.truthy() ? "True" : "False");
            if (returned.truthy()) {
                context.log().line("Proceeding with downstream tasks...");
                return OperatorOutcome.success();
            }
            return new OperatorOutcome.SkipDownstream(allDownstream);
        });
    }
}
