package dev.gust.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerConfTest {

    static final Map<String, Object> PARAMS = Map.of("report", "daily", "limit", 1000, "regions", List.of("eu"));

    @Test
    void emptyAndMatchingConfsPass() {
        assertThat(TriggerConf.parse("  ", PARAMS)).isEmpty();
        assertThat(TriggerConf.parse("{\"limit\": 5, \"extra\": true}", PARAMS))
                .containsEntry("limit", 5)
                .containsEntry("extra", true);
        assertThat(TriggerConf.effectiveParams(PARAMS, Map.of("limit", 5)))
                .containsEntry("limit", 5)
                .containsEntry("report", "daily");
    }

    @Test
    void wrongTypesAreAllNamed() {
        assertThatThrownBy(() -> TriggerConf.parse("{\"limit\": \"many\", \"regions\": \"eu\"}", PARAMS))
                .isInstanceOf(TriggerConf.InvalidConfException.class)
                .hasMessageContaining("'limit' must be a number")
                .hasMessageContaining("'regions' must be a list");
    }

    @Test
    void notAnObjectOrNotJson() {
        assertThatThrownBy(() -> TriggerConf.parse("[1]", PARAMS)).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> TriggerConf.parse("{limit: 1", PARAMS))
                .hasMessageStartingWith("conf is not valid JSON");
    }
}
