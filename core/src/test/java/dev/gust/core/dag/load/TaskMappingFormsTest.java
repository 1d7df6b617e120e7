package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.XComReference;
import dev.gust.core.mapping.TaskExpansion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * dag-factory's YAML for dynamic task mapping as the loader reads it: {@code expand} over a list,
 * a mapping, {@code +task}, {@code task.output} or an {@code xcom_pull} template (the referenced
 * task becomes an upstream), {@code partial}'s fixed arguments, {@code expand_kwargs}; and the
 * one-line errors of the wrong forms.
 */
class TaskMappingFormsTest {

    private final DagFileParser parser = new DagFileParser();

    private Dag single(String yaml) {
        DagFileResult result = parser.parse("m.yaml", yaml);
        assertThat(result.errors()).isEmpty();
        return result.dags().getFirst();
    }

    private List<String> errors(String yaml) {
        return parser.parse("m.yaml", yaml).errors().stream()
                .map(ImportError::message)
                .toList();
    }

    @Test
    void everyFormOfAMappedInputLoads() {
        Dag dag = single("""
                d:
                  tasks:
                    - task_id: make
                      operator: bash
                      bash_command: "echo '[1]'"
                    - task_id: plus
                      operator: bash
                      expand: {bash_command: +make}
                    - task_id: dotted
                      operator: airflow.operators.bash.BashOperator
                      partial:
                        env: {A: b}
                        retries: 2
                      expand:
                        bash_command: make.output
                    - task_id: literal
                      operator: bash
                      expand:
                        bash_command: ["echo 1", "echo 2"]
                        env: {k: v}
                    - task_id: kwargs
                      operator: bash
                      expand_kwargs: [{bash_command: "echo 1"}, {bash_command: "echo 2"}]
                """);
        TaskSpec plus = dag.task("plus").orElseThrow();
        assertThat(plus.expand()).containsEntry("bash_command", XComReference.of("make", null));
        assertThat(plus.upstream()).containsExactly("make");
        TaskSpec dotted = dag.task("dotted").orElseThrow();
        assertThat(dotted.expand()).containsEntry("bash_command", XComReference.of("make", null));
        assertThat(dotted.upstream()).containsExactly("make");
        assertThat(dotted.args()).containsEntry("env", Map.of("A", "b"));
        assertThat(dotted.retries()).isEqualTo(2);
        TaskSpec literal = dag.task("literal").orElseThrow();
        assertThat(literal.expand())
                .containsEntry("bash_command", List.of("echo 1", "echo 2"))
                .containsEntry("env", Map.of("k", "v"));
        assertThat(literal.upstream()).isEmpty();
        assertThat(dag.task("kwargs").orElseThrow().expand()).containsOnlyKeys(TaskExpansion.EXPAND_KWARGS);
    }

    @Test
    void wrongFormsAreOneLineErrorsNamingTheTaskAndTheKey() {
        assertThat(errors("""
                d:
                  tasks:
                    t:
                      operator: bash
                      expand: {bash_command: +nowhere}
                """))
                .containsExactly("DAG 'd', task 't': expand.bash_command maps over the output of task 'nowhere',"
                        + " which is not a task of this DAG");
        assertThat(errors("""
                d:
                  tasks:
                    t:
                      operator: bash
                      expand: {bash_command: "echo 1"}
                """))
                .containsExactly("DAG 'd', task 't': expand.bash_command must be a list, a mapping or an upstream's"
                        + " output (+task, task.output or \"{{ ti.xcom_pull('task') }}\")");
        assertThat(errors("""
                d:
                  tasks:
                    t:
                      operator: bash
                      expand: {bash_command: ["echo 1"]}
                      expand_kwargs: [{bash_command: "echo 2"}]
                """))
                .containsExactly(
                        "DAG 'd', task 't': give either expand or expand_kwargs, not both (Airflow allows one)");
        assertThat(errors("""
                d:
                  tasks:
                    t:
                      operator: bash
                      partial: "echo"
                      expand: {bash_command: ["echo 1"]}
                """))
                .containsExactly("DAG 'd', task 't': partial must map argument names to values,"
                        + " e.g. 'partial: {env: {A: b}}'");
    }
}
