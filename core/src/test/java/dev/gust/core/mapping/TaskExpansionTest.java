package dev.gust.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TaskSpecBuilder;
import dev.gust.core.dag.model.XComReference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Airflow's expansion rules on plain values: the cross product's order (the last argument varies
 * fastest), a mapping's items, expand_kwargs, an upstream's XCom (a JSON list printed by bash
 * included), and the reasons a task cannot be mapped.
 */
class TaskExpansionTest {

    private static TaskSpec mapped(Map<String, Object> expand) {
        return new TaskSpecBuilder("t").expand(expand).build();
    }

    private static TaskExpansion.Result expand(Map<String, Object> expand, Map<String, Object> xcoms, int max) {
        return TaskExpansion.expand("d", mapped(expand), (taskId, key) -> Optional.ofNullable(xcoms.get(taskId)), max);
    }

    private static List<Map<String, Object>> instances(TaskExpansion.Result result) {
        assertThat(result).isInstanceOf(TaskExpansion.Instances.class);
        return ((TaskExpansion.Instances) result).arguments();
    }

    @Test
    void twoArgumentsGiveTheirCrossProductWithTheLastVaryingFastest() {
        Map<String, Object> expand = new LinkedHashMap<>();
        expand.put("a", List.of(1, 2));
        expand.put("b", List.of("x", "y", "z"));
        assertThat(instances(expand(expand, Map.of(), 100)))
                .containsExactly(
                        Map.of("a", 1, "b", "x"),
                        Map.of("a", 1, "b", "y"),
                        Map.of("a", 1, "b", "z"),
                        Map.of("a", 2, "b", "x"),
                        Map.of("a", 2, "b", "y"),
                        Map.of("a", 2, "b", "z"));
    }

    @Test
    void aMappingGivesItsItemsAndAnUpstreamsJsonTextIsItsList() {
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("k1", "v1");
        items.put("k2", "v2");
        assertThat(instances(expand(Map.of("a", items), Map.of(), 100)))
                .containsExactly(Map.of("a", Arrays.asList("k1", "v1")), Map.of("a", Arrays.asList("k2", "v2")));
        assertThat(instances(expand(
                        Map.of("a", XComReference.of("up", null)), Map.of("up", "[\"echo 1\", \"echo 2\"]"), 100)))
                .containsExactly(Map.of("a", "echo 1"), Map.of("a", "echo 2"));
        assertThat(instances(expand(Map.of("a", "{{ ti.xcom_pull(task_ids='up') }}"), Map.of("up", List.of(7)), 100)))
                .containsExactly(Map.of("a", 7));
    }

    @Test
    void expandKwargsGivesEachInstanceItsMapping() {
        assertThat(instances(expand(
                        Map.of(TaskExpansion.EXPAND_KWARGS, List.of(Map.of("a", 1), Map.of("a", 2, "b", 3))),
                        Map.of(),
                        100)))
                .containsExactly(Map.of("a", 1), Map.of("a", 2, "b", 3));
        assertThat(expand(Map.of(TaskExpansion.EXPAND_KWARGS, List.of(1)), Map.of(), 100))
                .isEqualTo(new TaskExpansion.Unmappable("DAG 'd', task 't': expand_kwargs item 0 is not a mapping of"
                        + " argument names to values; expand_kwargs takes a list of mappings, e.g."
                        + " [{bash_command: 'echo 1'}]"));
    }

    @Test
    void emptyTooLongNotAListAndMissingInputs() {
        assertThat(instances(expand(Map.of("a", List.of(), "b", List.of(1)), Map.of(), 100)))
                .isEmpty();
        assertThat(((TaskExpansion.Unmappable) expand(Map.of("a", List.of(1, 2, 3)), Map.of(), 2)).reason())
                .isEqualTo("DAG 'd', task 't': expand.a has 3 items, more than core.max_map_length (2); map over"
                        + " fewer or raise core.max_map_length (GUST_CORE__MAX_MAP_LENGTH)");
        Map<String, Object> cross = new LinkedHashMap<>();
        cross.put("a", List.of(1, 2));
        cross.put("b", List.of(1, 2));
        assertThat(((TaskExpansion.Unmappable) expand(cross, Map.of(), 3)).reason())
                .contains("the cross product of expand's 2 arguments has 4 items");
        assertThat(((TaskExpansion.Unmappable) expand(Map.of("a", XComReference.of("up", null)), Map.of("up", 5), 100))
                        .reason())
                .isEqualTo("DAG 'd', task 't': expand.a maps over the XCom 'return_value' of task 'up', which is a"
                        + " number (5), not a list or a mapping; make the upstream push a JSON list");
        assertThat(((TaskExpansion.Unmappable) expand(Map.of("a", XComReference.of("up", null)), Map.of(), 100))
                        .reason())
                .startsWith("DAG 'd', task 't': expand.a maps over the XCom 'return_value' of task 'up', which does"
                        + " not exist");
    }
}
