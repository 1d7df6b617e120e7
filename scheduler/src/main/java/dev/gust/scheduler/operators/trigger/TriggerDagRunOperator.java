package dev.gust.scheduler.operators.trigger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Airflow's TriggerDagRunOperator: creates a run of {@code trigger_dag_id} with {@code conf} (a
 * mapping, or JSON text once rendered) at {@code logical_date} (now when absent), and pushes its
 * run id as XCom {@code trigger_run_id}. With {@code wait_for_completion} it then checks the
 * run's state every {@code poke_interval} (default 60 s) until it is in {@code allowed_states}
 * (default success: the task succeeds) or {@code failed_states} (default failed: the task fails).
 */
public final class TriggerDagRunOperator implements Operator {

    static final Duration DEFAULT_POKE_INTERVAL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public TriggerDagRunOperator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.TRIGGER_DAGRUN;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        String dagId = args.requiredString("trigger_dag_id");
        Map<String, Object> conf = conf(args);
        Instant logicalDate = args.instant("logical_date").orElseGet(clock::instant);
        String runId = context.triggerDagRun(dagId, conf, logicalDate);
        context.log().info("Triggered DAG '%s': run %s at logical date %s", dagId, runId, logicalDate);
        context.pushXcom("trigger_run_id", runId);
        context.pushXcom("trigger_logical_date_iso", logicalDate.toString());
        if (!args.bool("wait_for_completion", false)) {
            return OperatorOutcome.success();
        }
        Duration interval = args.duration("poke_interval", DEFAULT_POKE_INTERVAL);
        List<String> allowed = args.stringList("allowed_states", List.of("success"));
        List<String> failed = args.stringList("failed_states", List.of("failed"));
        while (true) {
            Thread.sleep(interval);
            Optional<String> state = context.dagRunState(dagId, runId);
            context.log().info("Waiting for DAG '%s' run %s: %s", dagId, runId, state.orElse("not finished"));
            if (state.isEmpty()) {
                continue;
            }
            if (allowed.contains(state.get())) {
                return OperatorOutcome.success();
            }
            if (failed.contains(state.get())) {
                return new OperatorOutcome.Failed(
                        "DAG '" + dagId + "' run " + runId + " ended in state " + state.get() + ".");
            }
        }
    }

    private static Map<String, Object> conf(OperatorArgs args) {
        Object conf = args.raw("conf");
        if (conf == null || conf instanceof Map<?, ?>) {
            return args.map("conf");
        }
        String text = conf.toString().trim();
        if (text.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new InvalidArgumentException(
                    "argument 'conf' must be a mapping or a JSON object, got '" + text + "'");
        }
    }
}
