package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.state.DagRunState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code render_template_as_native_obj} end to end: a trigger_dagrun conf value templated from a
 * list param reaches the triggered run as a list when the DAG asks for native rendering, and as
 * the list's text when it does not (Airflow's default).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineNativeTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private JsonNode confOfTriggeredRun(String parent, String child, boolean nativeObjects) throws Exception {
        harness.dag(parent + ".yaml", """
                %1$s:
                  schedule: null
                  render_template_as_native_obj: %3$s
                  params:
                    ids: [1, 2]
                  tasks:
                    kick:
                      operator: trigger_dagrun
                      trigger_dag_id: %2$s
                      conf: {ids: "{{ params.ids }}", count: "{{ params.ids | length }}"}
                %2$s:
                  schedule: null
                  tasks:
                    t: {operator: empty}
                """.formatted(parent, child, nativeObjects));
        assertThat(harness.run(parent).state()).isEqualTo(DagRunState.SUCCESS);
        List<dev.gust.core.store.runs.DagRun> runs = harness.runs(child);
        assertThat(runs).hasSize(1);
        return JSON.readTree(runs.getFirst().conf());
    }

    @Test
    void nativeRenderingPassesTheListItself() throws Exception {
        JsonNode conf = confOfTriggeredRun("native_parent", "native_child", true);
        assertThat(conf.get("ids").isArray()).isTrue();
        assertThat(conf.get("ids").toString()).isEqualTo("[1,2]");
        assertThat(conf.get("count").isInt()).isTrue();
        assertThat(conf.get("count").asInt()).isEqualTo(2);
    }

    @Test
    void defaultRenderingPassesText() throws Exception {
        JsonNode conf = confOfTriggeredRun("text_parent", "text_child", false);
        assertThat(conf.get("ids").isTextual()).isTrue();
        assertThat(conf.get("count").asText()).isEqualTo("2");
        assertThat(conf.get("count").isTextual()).isTrue();
    }
}
