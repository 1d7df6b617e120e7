package dev.gust.scheduler.operators.bash;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.util.List;

/**
 * Airflow's BashOperator: runs {@code bash_command} (see {@link BashCommand} for the process,
 * environment and interrupt handling). Exit code 0 succeeds and pushes the last stdout line as
 * XCom {@code return_value} (unless {@code do_xcom_push: false}); an exit code listed in
 * {@code skip_on_exit_code} (default 99; a number or a list, empty for none) skips the task; any
 * other fails it.
 */
public final class BashOperator implements Operator {

    static final List<Integer> DEFAULT_SKIP_CODES = List.of(99);

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.BASH;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        return run(context, BashCommand.fromArgs(context));
    }

    /**
     * Runs {@code command} and ends the try as a bash task ends it: by its exit code, as the
     * task's {@code skip_on_exit_code} and {@code do_xcom_push} say. Shared with @task.bash.
     */
    public static OperatorOutcome run(TaskRunContext context, BashCommand command) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        List<Integer> skipCodes = args.intList("skip_on_exit_code", DEFAULT_SKIP_CODES);
        boolean pushXcom = args.bool("do_xcom_push", true);
        BashRun run = command.run(context.log());
        if (run.exitCode() == 0) {
            if (pushXcom) {
                context.pushXcom("return_value", run.lastStdoutLine());
            }
            return OperatorOutcome.success();
        }
        if (skipCodes.contains(run.exitCode())) {
            return new OperatorOutcome.Skipped("Bash command returned exit code " + run.exitCode()
                    + ", which skip_on_exit_code " + skipCodes + " turns into a skip.");
        }
        return new OperatorOutcome.Failed(
                "Bash command failed. The command returned a non-zero exit code " + run.exitCode() + ".");
    }
}
