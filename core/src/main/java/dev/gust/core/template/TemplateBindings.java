package dev.gust.core.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names a template can use, built once per render call from a {@link TemplateContext}.
 * Variables and Connections are looked up lazily, when a template names them, and their secrets
 * registered with the context's masker at that moment.
 */
final class TemplateBindings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateBindings() {}

    static Map<String, Object> of(TemplateContext ctx, RenderProblems problems) {
        ZonedDateTime logical = ctx.logicalDate().atZone(ZoneOffset.UTC);
        TemplateDateTime logicalDate = TemplateDateTime.of(ctx.logicalDate(), ZoneOffset.UTC);
        TemplateDateTime intervalStart = TemplateDateTime.of(ctx.dataIntervalStart(), ZoneOffset.UTC);
        TemplateDateTime intervalEnd = TemplateDateTime.of(ctx.dataIntervalEnd(), ZoneOffset.UTC);
        String dsNodash = AirflowDateFilters.DS_NODASH.format(logical);

        Map<String, Object> names = new LinkedHashMap<>();
        names.put("ds", AirflowDateFilters.DS.format(logical));
        names.put("ds_nodash", dsNodash);
        names.put("ts", logicalDate.isoformat());
        names.put("ts_nodash", AirflowDateFilters.TS_NODASH.format(logical));
        names.put("ts_nodash_with_tz", AirflowDateFilters.TS_NODASH_WITH_TZ.format(logical));
        names.put("logical_date", logicalDate);
        names.put("execution_date", logicalDate);
        names.put("data_interval_start", intervalStart);
        names.put("data_interval_end", intervalEnd);
        names.put("run_id", ctx.runId());
        names.put("task_instance_key_str", ctx.dagId() + "__" + ctx.taskId() + "__" + dsNodash);

        names.put(
                "dag",
                StrictNamespace.of(
                        "dag",
                        Map.of("dag_id", ctx.dagId(), "timezone", ctx.timezone().getId()),
                        problems));
        Map<String, Object> task = new LinkedHashMap<>(ctx.taskFields());
        task.put("task_id", ctx.taskId());
        names.put("task", StrictNamespace.of("task", task, problems));
        StrictNamespace ti = StrictNamespace.of(
                "ti",
                Map.of(
                        "dag_id", ctx.dagId(),
                        "task_id", ctx.taskId(),
                        "run_id", ctx.runId(),
                        "try_number", ctx.tryNumber(),
                        "map_index", ctx.mapIndex(),
                        "xcom_pull", new XComPull(ctx, problems)),
                problems);
        names.put("ti", ti);
        names.put("task_instance", ti);

        StrictNamespace params = StrictNamespace.of("params", ctx.params(), problems);
        StrictNamespace conf = StrictNamespace.of("dag_run.conf", ctx.conf(), problems);
        names.put("params", params);
        names.put("conf", conf);
        names.put(
                "dag_run",
                StrictNamespace.of(
                        "dag_run",
                        Map.of(
                                "dag_id", ctx.dagId(),
                                "run_id", ctx.runId(),
                                "conf", conf,
                                "logical_date", logicalDate,
                                "data_interval_start", intervalStart,
                                "data_interval_end", intervalEnd),
                        problems));

        names.put(
                "var",
                StrictNamespace.of(
                        "var",
                        Map.of(
                                "value", variables(ctx, problems, false),
                                "json", variables(ctx, problems, true)),
                        problems));
        names.put(
                "conn",
                StrictNamespace.lookup(
                        "conn",
                        connId -> connection(ctx, connId, problems),
                        connId -> "connection '" + connId + "' does not exist; create it with 'gust connections add "
                                + connId + " --conn-type TYPE ...'",
                        problems));
        names.put("macros", StrictNamespace.of("macros", Macros.all(), problems));
        names.putAll(ctx.addedNames());
        return names;
    }

    private static StrictNamespace variables(TemplateContext ctx, RenderProblems problems, boolean json) {
        return StrictNamespace.lookup(
                json ? "var.json" : "var.value",
                key -> {
                    Object found = ctx.variables()
                            .get(key)
                            .<Object>map(raw -> {
                                if (SecretMasker.isSensitiveName(key)) {
                                    ctx.masker().add(raw);
                                }
                                return json ? parse(key, raw, ctx, problems) : raw;
                            })
                            .orElse(StrictNamespace.MISSING);
                    return found;
                },
                key -> "variable '" + key + "' does not exist; create it with 'gust variables set " + key + " VALUE'",
                problems);
    }

    private static Object parse(String key, String raw, TemplateContext ctx, RenderProblems problems) {
        try {
            Object value = JSON.readValue(raw, Object.class);
            if (SecretMasker.isSensitiveName(key)) {
                ctx.masker().addAll(value);
            } else {
                ctx.masker().addSensitive(value);
            }
            return value;
        } catch (JsonProcessingException e) {
            problems.report("variable '" + key + "' is not valid JSON (" + e.getOriginalMessage() + ")");
            return null;
        }
    }

    private static Object connection(TemplateContext ctx, String connId, RenderProblems problems) {
        return ctx.connections()
                .get(connId)
                .<Object>map(c -> {
                    ctx.masker().add(c.password());
                    ctx.masker().addSensitive(c.extra());
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("conn_id", connId);
                    fields.put("conn_type", c.connType());
                    fields.put("host", c.host());
                    fields.put("schema", c.schema());
                    fields.put("login", c.login());
                    fields.put("password", c.password());
                    fields.put("port", c.port());
                    fields.put("extra", extraJson(c));
                    fields.put("extra_dejson", c.extra());
                    return StrictNamespace.of("conn." + connId, fields, problems);
                })
                .orElse(StrictNamespace.MISSING);
    }

    private static String extraJson(TemplateConnection c) {
        try {
            return JSON.writeValueAsString(c.extra());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decoded JSON map must encode again", e);
        }
    }
}
