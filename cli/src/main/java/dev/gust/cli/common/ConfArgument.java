package dev.gust.cli.common;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.TriggerConf;
import java.util.Map;

/**
 * The {@code --conf JSON} of a run, read and checked by core's {@link TriggerConf} (the rule the
 * REST API and the UI follow too); a refusal is a usage error (exit 2).
 */
public final class ConfArgument {

    private ConfArgument() {}

    public static Map<String, Object> parse(String conf) {
        try {
            return TriggerConf.parse(conf, Map.of());
        } catch (TriggerConf.InvalidConfException e) {
            throw new UserError("--conf: " + e.getMessage(), 2);
        }
    }

    /** The conf checked against the DAG's params (a number where the param is a number, a Param's schema, ...). */
    public static Map<String, Object> check(Map<String, Object> conf, Dag dag) {
        try {
            return dag != null ? TriggerConf.check(conf, dag) : TriggerConf.check(conf, Map.of());
        } catch (TriggerConf.InvalidConfException e) {
            throw new UserError("--conf: " + e.getMessage(), 2);
        }
    }
}
