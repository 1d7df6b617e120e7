package dev.gust.scheduler.callbacks;

import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.scheduler.operators.bash.BashCommand;
import dev.gust.scheduler.operators.bash.BashRun;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code bash_command:} callback: the command rendered with the callback's context and run as the
 * bash operator runs its command (its own process group, killed on timeout), in the clean task
 * environment plus Airflow's {@code AIRFLOW_CTX_*} variables, the event's {@code GUST_CALLBACK_*}
 * ones and the callback's {@code env}. A non-zero exit fails the callback.
 */
final class BashCallback {

    private BashCallback() {}

    static String run(CallbackSpec.Bash spec, CallbackInvocation invocation, CallbackLog log, Map<String, String> base)
            throws CallbackFailure, InterruptedException {
        String command = String.valueOf(invocation.render("bash_command", spec.bashCommand()));
        Map<String, String> env = new LinkedHashMap<>(base);
        Map<String, Object> context = invocation.plainContext();
        put(env, "AIRFLOW_CTX_DAG_ID", context.get("dag_id"));
        put(env, "AIRFLOW_CTX_TASK_ID", context.get("task_id"));
        put(env, "AIRFLOW_CTX_DAG_RUN_ID", context.get("run_id"));
        put(env, "AIRFLOW_CTX_TRY_NUMBER", context.get("try_number"));
        put(env, "AIRFLOW_CTX_LOGICAL_DATE", context.get("logical_date"));
        put(env, "GUST_CALLBACK_EVENT", context.get("event"));
        put(env, "GUST_CALLBACK_STATE", context.get("state"));
        put(env, "GUST_CALLBACK_REASON", context.get("reason"));
        put(env, "GUST_CALLBACK_EXCEPTION", context.get("exception"));
        Object renderedEnv = invocation.render("env", spec.env());
        if (renderedEnv instanceof Map<?, ?> own) {
            own.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : v.toString()));
        }
        BashRun run = new BashCommand(command, null, env, StandardCharsets.UTF_8).run(log);
        if (run.exitCode() != 0) {
            throw new CallbackFailure("bash_command exited with code " + run.exitCode());
        }
        return "bash_command exited with code 0";
    }

    private static void put(Map<String, String> env, String name, Object value) {
        if (value != null) {
            env.put(name, value.toString());
        }
    }
}
