package dev.gust.scheduler.operators.branch;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.bash.BashCommand;
import dev.gust.scheduler.operators.bash.BashRun;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Airflow's branching: chooses which direct downstream tasks run; the others are skipped. The
 * choice is either {@code follow} (a rendered task id or list of ids) or the last stdout line of
 * {@code bash_command} (ids separated by commas or spaces), which is how a shell-only DAG
 * decides. An empty choice follows no branch. An id that is not a direct downstream task fails
 * the task, naming the valid ids.
 */
public final class BranchOperator implements Operator {

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.BRANCH;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        List<String> chosen;
        if (args.has("bash_command")) {
            BashRun run = BashCommand.fromArgs(context).run(context.log());
            if (run.exitCode() != 0) {
                return new OperatorOutcome.Failed(
                        "Branch command failed. The command returned a non-zero exit code " + run.exitCode() + ".");
            }
            chosen = OperatorArgs.splitWords(run.lastStdoutLine());
        } else if (args.has("follow")) {
            chosen = args.stringList("follow");
        } else {
            return new OperatorOutcome.FailedWithoutRetry("branch needs 'follow' or 'bash_command' to choose a branch");
        }
        return follow(context, chosen);
    }

    /**
     * Follows {@code chosen} (direct downstream task ids; duplicates dropped) and pushes the choice
     * as XCom; an id that is not a direct downstream task fails the try, naming the valid ids.
     * Shared with the Python branch operator.
     */
    public static OperatorOutcome follow(TaskRunContext context, List<String> chosen) {
        chosen = List.copyOf(new LinkedHashSet<>(chosen));
        List<String> valid = context.downstreamTaskIds();
        List<String> invalid = new ArrayList<>(chosen);
        invalid.removeAll(valid);
        if (!invalid.isEmpty()) {
            return new OperatorOutcome.Failed("Branch chose " + String.join(", ", invalid)
                    + (invalid.size() == 1 ? ", which is not a" : ", which are not") + " direct downstream task"
                    + (invalid.size() == 1 ? "" : "s") + " of '"
                    + context.task().taskId() + "'; valid task ids: "
                    + (valid.isEmpty() ? "(none)" : String.join(", ", valid)));
        }
        context.log().info("Following branch%s %s", chosen.size() == 1 ? "" : "es", chosen);
        context.pushXcom("return_value", chosen.size() == 1 ? chosen.getFirst() : chosen);
        return new OperatorOutcome.FollowBranches(chosen);
    }
}
