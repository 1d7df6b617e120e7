package dev.gust.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFileResult;
import dev.gust.core.dag.model.Dag;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Params declared as Airflow's {@code Param} (a default with JSON Schema keywords): templates see
 * the default, a conf that breaks the schema is refused naming the param and the rule, and a bad
 * schema or default is an import error.
 */
class ParamSchemaConfTest {

    private static final String DAG = """
            p:
              schedule: null
              params:
                report: {default: daily, type: string, minLength: 1, maxLength: 10, pattern: "^[a-z_]+$"}
                region: {default: eu, enum: [eu, us]}
                limit: {default: 10, type: integer, minimum: 1, maximum: 100}
                ratio: {type: [number, "null"]}
                flag: {__type__: airflow.models.param.Param, default: false, type: boolean}
                tags: {default: [a], type: array, items: {type: string}}
                needed: {type: string}
                plain: 5
                a_dict: {k: v}
              tasks:
                t: {operator: empty}
            """;

    private static DagFileResult parse(String yaml) {
        return new DagFileParser().parse("p.yaml", yaml);
    }

    private static Dag dag() {
        DagFileResult result = parse(DAG);
        assertThat(result.errors()).isEmpty();
        return result.dags().getFirst();
    }

    private static Map<String, Object> check(String json) {
        return TriggerConf.parse(json, dag());
    }

    @Test
    void templatesSeeTheDefaultsAndPlainValuesStayPlain() {
        assertThat(dag().params())
                .containsEntry("report", "daily")
                .containsEntry("limit", 10)
                .containsEntry("flag", false)
                .containsEntry("plain", 5)
                .containsEntry("a_dict", Map.of("k", "v"))
                .containsEntry("needed", null);
        assertThat(dag().paramSchemas())
                .containsOnlyKeys("report", "region", "limit", "ratio", "flag", "tags", "needed");
    }

    @Test
    void aConfThatFitsPasses() {
        assertThat(check("{\"needed\": \"x\", \"limit\": 100, \"ratio\": null, \"region\": \"us\", \"extra\": [1]}"))
                .containsEntry("limit", 100);
    }

    @Test
    void eachRuleIsEnforcedAndNamed() {
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"report\": \"x; id > /tmp/p\"}"))
                .isInstanceOf(TriggerConf.InvalidConfException.class)
                .hasMessageContaining("param 'report'")
                .hasMessageContaining("pattern");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"report\": \"abcdefghijkl\"}"))
                .hasMessageContaining("maxLength");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"report\": \"\"}")).hasMessageContaining("minLength");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"region\": \"mars\"}"))
                .hasMessageContaining("param 'region'")
                .hasMessageContaining("enum");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"limit\": 1000}")).hasMessageContaining("maximum");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"limit\": 0}")).hasMessageContaining("minimum");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"limit\": \"5; id\"}"))
                .hasMessageContaining("param 'limit'")
                .hasMessageContaining("type");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"ratio\": \"a\"}")).hasMessageContaining("param 'ratio'");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"flag\": \"yes\"}"))
                .hasMessageContaining("param 'flag'");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"tags\": [1]}")).hasMessageContaining("param 'tags' at ");
        assertThatThrownBy(() -> check("{}"))
                .hasMessage("conf does not match the DAG's params: param 'needed' is "
                        + "required (it has no default); give it in the conf");
        assertThatThrownBy(() -> check("{\"needed\": \"x\", \"plain\": \"five\"}"))
                .hasMessageContaining("'plain' must be a number");
    }

    @Test
    void aBadSchemaOrDefaultIsAnImportError() {
        assertThat(parse("d:\n  params:\n    x: {default: 1, type: integr}\n  tasks:\n    t: {operator: empty}\n")
                        .errors()
                        .getFirst()
                        .message())
                .contains("param 'x'")
                .contains("'integr' is not a JSON Schema type");
        assertThat(parse(
                                "d:\n  params:\n    x: {default: 500, type: integer, maximum: 10}\n  tasks:\n    t: {operator: empty}\n")
                        .errors()
                        .getFirst()
                        .message())
                .contains("the default of param 'x'")
                .contains("maximum");
        assertThat(parse(
                                "d:\n  params:\n    x: {default: a, type: string, pattern: \"[\"}\n  tasks:\n    t: {operator: empty}\n")
                        .errors()
                        .getFirst()
                        .message())
                .contains("not a valid regular expression");
        assertThat(parse(
                                "d:\n  params:\n    x: {default: a, $ref: \"http://example.com/s.json\"}\n  tasks:\n    t: {operator: empty}\n")
                        .errors())
                .isNotEmpty();
        assertThat(parse(
                                "d:\n  params:\n    x: {type: string, items: {$ref: \"#/x\"}}\n  tasks:\n    t: {operator: empty}\n")
                        .errors()
                        .getFirst()
                        .message())
                .contains("'$ref' is not supported");
        assertThat(parse(
                                "d:\n  schedule: '@daily'\n  start_date: 2024-01-01\n  params:\n    x: {type: string}\n  tasks:\n    t: {operator: empty}\n")
                        .errors()
                        .getFirst()
                        .message())
                .contains("has no default");
    }
}
