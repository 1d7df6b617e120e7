package dev.gust.core.dag.warnings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.model.Dag;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UnquotedShellTemplatesTest {

    @Test
    void conferredValuesWithoutTheFilterAreFound() {
        assertThat(UnquotedShellTemplates.unquoted("echo {{ params.report }}")).containsExactly(" params.report ");
        assertThat(UnquotedShellTemplates.unquoted("echo {{ conf['x'] }} {{dag_run.conf.y}}"))
                .hasSize(2);
        assertThat(UnquotedShellTemplates.unquoted("echo {{ dag_run['conf'].y | upper }}"))
                .hasSize(1);
        assertThat(UnquotedShellTemplates.unquoted("echo {{ params.regions | join(' ') }}"))
                .hasSize(1);
        assertThat(UnquotedShellTemplates.unquoted("{% for r in params.regions %}echo {{ r }};{% endfor %}"))
                .containsExactly(" r ");
        assertThat(UnquotedShellTemplates.unquoted("{% set a, b = dag_run.conf.pair %}echo {{ b }}"))
                .containsExactly(" b ");
        assertThat(UnquotedShellTemplates.unquoted("echo {{ (params.a | sh) ~ params.b }}"))
                .hasSize(1);
    }

    @Test
    void whitespaceControlAndUnclosedTagsAreHandled() {
        assertThat(UnquotedShellTemplates.unquoted("{%- for r in params.rs -%}echo {{- r -}}{% endfor %}"))
                .hasSize(1);
        assertThat(UnquotedShellTemplates.unquoted("echo {{- params.x | sh -}}"))
                .isEmpty();
        // many unclosed tags: one pass, not one scan of the rest per tag
        String unclosed = "{{ {% for ".repeat(200_000);
        assertThat(UnquotedShellTemplates.unquoted(unclosed)).isEmpty();
    }

    @Test
    void quotedOrHarmlessValuesAreNot() {
        assertThat(UnquotedShellTemplates.unquoted("echo {{ params.report | sh }} {{ params.r|shell_quote }}"))
                .isEmpty();
        assertThat(UnquotedShellTemplates.unquoted("echo {{ params.limit | int }} {{ params.x | default('a') | sh }}"))
                .isEmpty();
        assertThat(UnquotedShellTemplates.unquoted("echo {{ params.regions | map('sh') | join(' ') }}"))
                .isEmpty();
        assertThat(UnquotedShellTemplates.unquoted("echo {{ ds }} {{ run_id | sh }} {{ my_params }} {{ x.params }}"))
                .isEmpty();
        assertThat(UnquotedShellTemplates.unquoted("{% for r in ['a'] %}echo {{ r }}{% endfor %}"))
                .isEmpty();
    }

    @Test
    void aDagGetsOneWarningNamingEachPlace() {
        Dag dag = new DagFileParser().parse("w.yaml", """
                w:
                  params: {x: a}
                  tasks:
                    a: {operator: bash, bash_command: "echo {{ params.x }}", env: {X: "{{ conf.y }}", Y: "{{ params.x | sh }}"}}
                    b: {operator: bash, bash_command: "echo {{ params.x | sh }}"}
                    c: {operator: empty}
                """).dags().getFirst();
        DagWarning warning = UnquotedShellTemplates.check(dag).orElseThrow();
        assertThat(warning.dagId()).isEqualTo("w");
        assertThat(warning.warningType()).isEqualTo("unquoted shell interpolation");
        assertThat(warning.message())
                .contains("task 'a' bash_command: {{ params.x }}")
                .contains("task 'a' env.X")
                .doesNotContain("env.Y")
                .doesNotContain("task 'b'")
                .contains("| sh");
    }

    @Test
    void aParamWhoseSchemaAdmitsOnlyNumbersIsSafeUnquoted() {
        Dag dag = new DagFileParser().parse("n.yaml", """
                n:
                  schedule: null
                  params:
                    limit: {default: 10, type: integer}
                    ratio: {default: 0.5, type: [number, "null"]}
                    name: {default: a, type: string}
                  tasks:
                    a: {operator: bash, bash_command: "echo {{ params.limit }} {{ params['ratio'] }} {{ params.limit + 1 }}"}
                """).dags().getFirst();
        assertThat(UnquotedShellTemplates.check(dag)).isEmpty();
        assertThat(UnquotedShellTemplates.unquoted(
                        "echo {{ params.limit }} {{ params.name }}", java.util.Set.of("limit")))
                .containsExactly(" params.name ");
        assertThat(UnquotedShellTemplates.unquoted("echo {{ params.limit.x }} {{ params }}", java.util.Set.of("limit")))
                .hasSize(2);
    }

    @Test
    void theExampleDagsHaveNoWarning() {
        try (DagFolderScanner scanner = new DagFolderScanner(Path.of("..", "dags"))) {
            var dags = scanner.scan().dags();
            assertThat(dags).isNotEmpty();
            dags.values()
                    .forEach(dag -> assertThat(UnquotedShellTemplates.check(dag))
                            .as(dag.dagId())
                            .isEmpty());
        }
    }
}
