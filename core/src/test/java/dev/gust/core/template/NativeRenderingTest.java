package dev.gust.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code render_template_as_native_obj}: what Airflow's NativeEnvironment makes of a template's
 * output (a lone expression's value itself; output spelling a Python literal becomes that value;
 * anything else stays text), against the default rendering, which is always text.
 */
class NativeRenderingTest {

    private static final TemplateRenderer RENDERER = new TemplateRenderer();

    private static final Map<String, Object> PARAMS = Map.of(
            "regions",
            List.of("eu", "us"),
            "limits",
            new LinkedHashMap<>(Map.of("rows", 10)),
            "enabled",
            true,
            "count",
            7,
            "ratio",
            2.5,
            "name",
            "it's",
            "listText",
            "[1, 2]");

    private static Object nativeValue(String template) {
        return RENDERER.renderNative("arg", template, context());
    }

    private static TemplateContext context() {
        return TemplateContext.builder("d", "t", "r", Instant.parse("2024-03-05T06:00:00Z"))
                .dagParams(PARAMS)
                .build();
    }

    @Test
    void aLoneExpressionGivesItsValue() {
        assertThat(nativeValue("{{ params.regions }}")).isEqualTo(List.of("eu", "us"));
        assertThat(nativeValue("{{ params.limits }}")).isEqualTo(Map.of("rows", 10));
        assertThat(nativeValue("{{ params.enabled }}")).isEqualTo(true);
        assertThat(nativeValue("{{ params.count }}")).isEqualTo(7);
        assertThat(nativeValue("{{ params.count * 2 }}")).isEqualTo(14);
        assertThat(nativeValue("{{ params.ratio }}")).isEqualTo(2.5);
        assertThat(nativeValue("{{- params.regions -}}")).isEqualTo(List.of("eu", "us"));
    }

    @Test
    void outputThatSpellsAPythonLiteralBecomesIt() {
        assertThat(nativeValue("[{{ params.count }}, 'a', None, True, (1, 2)]"))
                .isEqualTo(Arrays.asList(7, "a", null, true, List.of(1, 2)));
        assertThat(nativeValue("{'rows': {{ params.count }}, 'tags': ['x'],}"))
                .isEqualTo(Map.of("rows", 7, "tags", List.of("x")));
        assertThat(nativeValue("{{ params.count }}0")).isEqualTo(70);
        assertThat(nativeValue("-{{ params.ratio }}e1")).isEqualTo(-25.0);
        assertThat(nativeValue("'{{ params.count }}'")).isEqualTo("7");
        assertThat(nativeValue("{{ params.listText }}")).isEqualTo(List.of(1, 2));
        assertThat(nativeValue("None{{ '' }}")).isNull();
    }

    @Test
    void everythingElseStaysText() {
        assertThat(nativeValue("echo {{ params.count }}")).isEqualTo("echo 7");
        assertThat(nativeValue("{{ params.name }}")).isEqualTo("it's");
        assertThat(nativeValue(" {{ params.count }}")).isEqualTo(" 7"); // a leading space is an indent to Python
        assertThat(nativeValue("{{ params.count }} {{ params.count }}")).isEqualTo("7 7");
        assertThat(nativeValue("{ {{ params.count }} }")).isEqualTo("{ 7 }"); // a set: not taken
        assertThat(nativeValue("{{ ds }}")).isEqualTo("2024-03-05");
        assertThat(nativeValue("{{ logical_date }}")).isInstanceOf(String.class);
        assertThat(nativeValue("007{{ '' }}")).isEqualTo("007");
        // not templates: as written, even when they look like literals
        assertThat(nativeValue("[1, 2]")).isEqualTo("[1, 2]");
    }

    @Test
    void nestedArgumentsAreRenderedNativelyToo() {
        Object rendered = RENDERER.renderNative(
                "conf", Map.of("ids", "{{ params.regions }}", "n", "{{ params.count }}"), context());
        assertThat(rendered).isEqualTo(Map.of("ids", List.of("eu", "us"), "n", 7));
    }

    @Test
    void theDefaultRenderingIsAlwaysText() {
        assertThat(RENDERER.render("arg", "{{ params.count }}", context())).isEqualTo("7");
        assertThat(RENDERER.render("arg", "[{{ params.count }}]", context())).isEqualTo("[7]");
    }
}
