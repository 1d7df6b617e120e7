package dev.gust.webserver.api.dags;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.gust.core.dag.model.Dag;
import dev.gust.webserver.api.TimeDelta;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Airflow's {@code DAGDetail}: the {@code DAG} fields plus what the DAG file says about
 * scheduling and its params. Each param is {@code {"value", "description", "schema"}} as Airflow
 * serializes a {@code Param}: a param declared with Airflow's {@code Param} brings its JSON Schema
 * (and its description), a plain value an empty schema. {@code datasetExpression} is the
 * dataset condition the DAG is scheduled on, as Airflow nests it (<code>{"any": ["s3://a",
 * {"all": [...]}]}</code>), null for a DAG not scheduled on datasets.
 */
public record DagDetailResponse(
        @JsonUnwrapped DagResponse dag,
        String timezone,
        boolean catchup,
        String orientation,
        int concurrency,
        Instant startDate,
        TimeDelta dagRunTimeout,
        Object datasetExpression,
        String docMd,
        Map<String, Map<String, Object>> params,
        Instant endDate,
        Boolean isPausedUponCreation,
        Instant lastParsed,
        String templateSearchPath,
        boolean renderTemplateAsNativeObj) {

    public static DagDetailResponse of(DagResponse dag, Dag model, boolean catchupByDefault) {
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        model.params().forEach((name, value) -> {
            Map<String, Object> param = new LinkedHashMap<>();
            Map<String, Object> schema = model.paramSchemas().getOrDefault(name, Map.of());
            param.put("value", value);
            param.put("description", schema.get("description"));
            param.put("schema", schema);
            params.put(name, param);
        });
        // Java names UTC "Z"; Airflow and the DAG files say "UTC".
        String timezone =
                "Z".equals(model.timezone().getId()) ? "UTC" : model.timezone().getId();
        return new DagDetailResponse(
                dag,
                timezone,
                model.catchup() != null ? model.catchup() : catchupByDefault,
                model.orientation() != null ? model.orientation() : "LR",
                dag.maxActiveTasks(),
                model.startDate(),
                TimeDelta.of(model.dagrunTimeout()),
                dev.gust.core.dag.model.DatasetCondition.expressionOf(model.schedule()),
                model.docMd(),
                params,
                model.endDate(),
                model.pausedUponCreation(),
                dag.lastParsedTime(),
                null,
                model.renderTemplateAsNativeObj());
    }
}
