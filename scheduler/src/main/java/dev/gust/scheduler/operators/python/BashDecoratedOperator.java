package dev.gust.scheduler.operators.python;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.bash.BashCommand;
import dev.gust.scheduler.operators.bash.BashOperator;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TaskFlow's {@code @task.bash}: the callable returns the bash command, which then runs as the
 * {@code bash} operator runs its {@code bash_command} (with the task's {@code env}, {@code cwd},
 * {@code skip_on_exit_code}, default 99, and the last line of output as XCom). As in Airflow, a
 * return value that is not a non-empty string fails the task, and the callable's own return value
 * is not an XCom: the command's output is.
 */
public final class BashDecoratedOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.BASH_DECORATED;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        PythonCall call = PythonCall.fromArgs(context).withXcomPush(false);
        AtomicReference<String> command = new AtomicReference<>();
        OperatorOutcome called = PythonOutcomes.run(context, call, returned -> {
            if (returned.value() instanceof String text && !text.isBlank()) {
                command.set(text);
                return OperatorOutcome.success();
            }
            return new OperatorOutcome.Failed("The returned value from the @task.bash callable must be a non-empty"
                    + " string (the bash command to run), got "
                    + (returned.value() instanceof String text
                            ? "'" + text + "'"
                            : PythonOutcomes.display(returned.value())));
        });
        if (command.get() == null) {
            return called;
        }
        return BashOperator.run(context, BashCommand.fromArgs(context, command.get()));
    }
}
