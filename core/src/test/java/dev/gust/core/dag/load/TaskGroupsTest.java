package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskGroup;
import dev.gust.core.dag.model.TaskSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGroupsTest {

    private final DagFileParser parser = new DagFileParser();

    private Dag single(String yaml) {
        DagFileResult result = parser.parse("groups.yaml", yaml);
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags()).hasSize(1);
        return result.dags().getFirst();
    }

    private List<String> errors(String yaml) {
        DagFileResult result = parser.parse("groups.yaml", yaml);
        assertThat(result.dags()).isEmpty();
        return result.errors().stream().map(ImportError::message).toList();
    }

    private static TaskSpec task(Dag dag, String id) {
        return dag.task(id).orElseThrow(() -> new AssertionError("no task " + id + " in " + dag.tasks()));
    }

    @Test
    void mappingFormPrefixesTaskIdsAndKeepsTheGroup() {
        Dag dag = single("""
                d:
                  task_groups:
                    extract:
                      tooltip: pulls the data
                  tasks:
                    start: {operator: empty}
                    one: {operator: empty, task_group_name: extract, dependencies: [start]}
                    two: {operator: empty, task_group_name: extract, dependencies: [one]}
                """);
        assertThat(dag.tasks()).extracting(TaskSpec::taskId).containsExactly("start", "extract.one", "extract.two");
        assertThat(task(dag, "extract.one").upstream()).containsExactly("start");
        assertThat(task(dag, "extract.two").upstream()).containsExactly("extract.one");
        assertThat(task(dag, "extract.two").taskGroupId()).isEqualTo("extract");
        assertThat(task(dag, "start").taskGroupId()).isNull();
        assertThat(dag.taskGroups())
                .containsExactly(new TaskGroup("extract", "extract", null, "pulls the data", true, null, null));
    }

    @Test
    void listFormReadsTheSameAsTheMappingForm() {
        Dag listed = single("""
                d:
                  task_groups:
                    - group_name: extract
                      tooltip: pulls the data
                    - group_name: load
                      dependencies: [extract]
                  tasks:
                    - {task_id: one, operator: empty, task_group_name: extract}
                    - {task_id: two, operator: empty, task_group_name: load}
                """);
        Dag mapped = single("""
                d:
                  task_groups:
                    extract: {tooltip: pulls the data}
                    load: {dependencies: [extract]}
                  tasks:
                    one: {operator: empty, task_group_name: extract}
                    two: {operator: empty, task_group_name: load}
                """);
        assertThat(listed.taskGroups()).isEqualTo(mapped.taskGroups());
        assertThat(listed.tasks()).extracting(TaskSpec::taskId).containsExactly("extract.one", "load.two");
        assertThat(task(listed, "load.two").upstream()).containsExactly("extract.one");
        assertThat(listed.tasks())
                .extracting(TaskSpec::upstream)
                .isEqualTo(mapped.tasks().stream().map(TaskSpec::upstream).toList());
    }

    @Test
    void nestedGroupsPrefixWithEveryPrefixingAncestor() {
        Dag dag = single("""
                d:
                  task_groups:
                    inner: {parent_group_name: outer}
                    outer: {}
                    flat: {parent_group_name: outer, prefix_group_id: false}
                    under_flat: {parent_group_name: flat}
                  tasks:
                    a: {operator: empty, task_group_name: inner}
                    b: {operator: empty, task_group_name: outer}
                    c: {operator: empty, task_group_name: flat}
                    d: {operator: empty, task_group_name: under_flat}
                """);
        assertThat(dag.tasks())
                .extracting(TaskSpec::taskId)
                .containsExactly("outer.inner.a", "outer.b", "c", "under_flat.d");
        assertThat(dag.tasks())
                .extracting(TaskSpec::taskGroupId)
                .containsExactly("outer.inner", "outer", "outer.flat", "under_flat");
        // parents come before their children, whatever the file's order
        assertThat(dag.taskGroups())
                .extracting(TaskGroup::groupId, TaskGroup::parentGroupId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("outer", null),
                        org.assertj.core.groups.Tuple.tuple("outer.inner", "outer"),
                        org.assertj.core.groups.Tuple.tuple("outer.flat", "outer"),
                        org.assertj.core.groups.Tuple.tuple("under_flat", "outer.flat"));
    }

    @Test
    void prefixGroupIdFalseKeepsPlainIdsAndDependenciesStillResolve() {
        Dag dag = single("""
                d:
                  task_groups:
                    g: {prefix_group_id: false}
                  tasks:
                    a: {operator: empty, task_group_name: g}
                    b: {operator: empty, task_group_name: g, dependencies: [a]}
                    after: {operator: empty, dependencies: [g]}
                """);
        assertThat(dag.tasks()).extracting(TaskSpec::taskId).containsExactly("a", "b", "after");
        assertThat(task(dag, "b").upstream()).containsExactly("a");
        assertThat(task(dag, "after").upstream()).containsExactly("b");
        assertThat(task(dag, "a").taskGroupId()).isEqualTo("g");
    }

    @Test
    void dependingOnAGroupMeansItsLeavesAndAGroupsDependenciesGoToItsRoots() {
        Dag dag = single("""
                d:
                  task_groups:
                    g:
                      dependencies: [start]
                    h:
                      dependencies: [g]
                  tasks:
                    start: {operator: empty}
                    a: {operator: empty, task_group_name: g}
                    b: {operator: empty, task_group_name: g}
                    c: {operator: empty, task_group_name: g, dependencies: [a]}
                    x: {operator: empty, task_group_name: h}
                    y: {operator: empty, task_group_name: h, dependencies: [x]}
                    end: {operator: empty, dependencies: [h, start]}
                """);
        // g's roots are a and b (c runs after a); its leaves b and c
        assertThat(task(dag, "g.a").upstream()).containsExactly("start");
        assertThat(task(dag, "g.b").upstream()).containsExactly("start");
        assertThat(task(dag, "g.c").upstream()).containsExactly("g.a");
        // h depends on g: h's root x gets g's leaves
        assertThat(task(dag, "h.x").upstream()).containsExactlyInAnyOrder("g.b", "g.c");
        assertThat(task(dag, "h.y").upstream()).containsExactly("h.x");
        assertThat(task(dag, "end").upstream()).containsExactly("h.y", "start");
        assertThat(dag.downstream("start")).containsExactly("g.a", "g.b", "end");
    }

    @Test
    void aNestedGroupsTasksAreTheOuterGroupsToo() {
        Dag dag = single("""
                d:
                  task_groups:
                    outer: {}
                    inner: {parent_group_name: outer}
                  tasks:
                    first: {operator: empty, task_group_name: outer}
                    deep: {operator: empty, task_group_name: inner, dependencies: [first]}
                    after: {operator: empty, dependencies: [outer]}
                """);
        assertThat(task(dag, "after").upstream()).containsExactly("outer.inner.deep");
    }

    @Test
    void leavesAreTakenAsDagFactorySetsThemTasksFirstInFileOrder() {
        // dag-factory wires 'end' before 'b' (file order), so when 'end' depends on g, both a and b
        // are still leaves of g; Airflow keeps both edges
        Dag dag = single("""
                d:
                  task_groups:
                    g: {}
                  tasks:
                    end: {operator: empty, dependencies: [g]}
                    a: {operator: empty, task_group_name: g}
                    b: {operator: empty, task_group_name: g, dependencies: [a]}
                """);
        assertThat(task(dag, "end").upstream()).containsExactly("g.a", "g.b");
    }

    @Test
    void groupDefaultArgsSitBetweenTheDagsAndTheTasksNearestGroupWinning() {
        Dag dag = single("""
                d:
                  default_args: {retries: 1, pool: dag_pool, owner: dag_owner, retry_delay: 60}
                  task_groups:
                    outer:
                      default_args: {retries: 2, pool: outer_pool}
                    inner:
                      parent_group_name: outer
                      default_args: {retries: 3, bash_command: echo inner}
                  tasks:
                    top: {operator: bash, bash_command: echo top}
                    o: {operator: bash, bash_command: echo o, task_group_name: outer}
                    i: {operator: bash, task_group_name: inner}
                    own: {operator: bash, task_group_name: inner, retries: 7, bash_command: echo own}
                """);
        assertThat(task(dag, "top").retries()).isEqualTo(1);
        assertThat(task(dag, "top").pool()).isEqualTo("dag_pool");
        assertThat(task(dag, "outer.o").retries()).isEqualTo(2);
        assertThat(task(dag, "outer.o").pool()).isEqualTo("outer_pool");
        assertThat(task(dag, "outer.o").owner()).isEqualTo("dag_owner");
        assertThat(task(dag, "outer.inner.i").retries()).isEqualTo(3);
        assertThat(task(dag, "outer.inner.i").pool()).isEqualTo("outer_pool");
        assertThat(task(dag, "outer.inner.i").retryDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(task(dag, "outer.inner.i").args()).containsEntry("bash_command", "echo inner");
        assertThat(task(dag, "outer.inner.own").retries()).isEqualTo(7);
        assertThat(task(dag, "outer.inner.own").args()).containsEntry("bash_command", "echo own");
        // the DAG's own default_args are not changed by a group's
        assertThat(dag.defaultArgs()).containsEntry("retries", 1).doesNotContainKey("bash_command");
    }

    @Test
    void unknownGroupSettingNamesDagGroupAndKey() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {tooltp: x}
                          tasks:
                            a: {operator: empty, task_group_name: g}
                        """))
                .singleElement()
                .asString()
                .startsWith("task group 'g' of DAG 'd': unknown setting 'tooltp'; did you mean 'tooltip'?");
    }

    @Test
    void aTaskNamingAMissingGroupIsAnError() {
        assertThat(errors("""
                        d:
                          task_groups:
                            extract: {}
                          tasks:
                            a: {operator: empty, task_group_name: extrct}
                        """))
                .containsExactly("task 'a' of DAG 'd': task_group_name 'extrct' is not a task group of this DAG;"
                        + " did you mean 'extract'?");
        assertThat(errors("d: {tasks: {a: {operator: empty, task_group_name: g}}}"))
                .containsExactly("task 'a' of DAG 'd': task_group_name 'g' is not a task group of this DAG;"
                        + " declare it under the DAG's task_groups");
    }

    @Test
    void groupsNestedInALoopAreAnError() {
        assertThat(errors("""
                        d:
                          task_groups:
                            a: {parent_group_name: b}
                            b: {parent_group_name: a}
                          tasks:
                            t: {operator: empty}
                        """))
                .containsExactly("task groups of DAG 'd' are nested in a loop through parent_group_name: a -> b -> a;"
                        + " a group cannot be inside itself");
    }

    @Test
    void aMissingParentGroupIsAnError() {
        assertThat(errors("""
                        d:
                          task_groups:
                            inner: {parent_group_name: outr}
                            outer: {}
                          tasks:
                            t: {operator: empty}
                        """))
                .containsExactly("task group 'inner' of DAG 'd': parent_group_name 'outr' is not a task group of this"
                        + " DAG; declare it under task_groups; did you mean 'outer'?");
    }

    @Test
    void duplicateFinalTaskIdsAreAnError() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {}
                          tasks:
                            g.a: {operator: empty}
                            a: {operator: empty, task_group_name: g}
                        """))
                .singleElement()
                .asString()
                .startsWith("DAG 'd': tasks 'g.a' and 'a' both get the task id 'g.a'");
    }

    @Test
    void aTaskAndAGroupWithTheSameNameAreAnError() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {}
                          tasks:
                            g: {operator: empty}
                        """))
                .containsExactly("DAG 'd': 'g' names both a task and a task group, so dependencies on it could mean"
                        + " either; rename one");
    }

    @Test
    void aDependencyOnAPrefixedIdSaysHowTheFileNamesTasks() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {}
                          tasks:
                            a: {operator: empty, task_group_name: g}
                            b: {operator: empty, dependencies: [g.a]}
                        """))
                .containsExactly("DAG 'd', task 'b' depends on 'g.a', which is neither a task nor a task group of the"
                        + " DAG; dependencies name a task as the file does: 'a'");
    }

    @Test
    void aGroupDependingOnSomethingUnknownIsAnError() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {dependencies: [strt]}
                          tasks:
                            start: {operator: empty}
                            a: {operator: empty, task_group_name: g}
                        """))
                .containsExactly("DAG 'd', task group 'g' depends on 'strt', which is neither a task nor a task group"
                        + " of the DAG; did you mean 'start'?");
    }

    @Test
    void aGroupDependingOnItsOwnTaskIsACycle() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {dependencies: [b]}
                          tasks:
                            a: {operator: empty, task_group_name: g}
                            b: {operator: empty, task_group_name: g, dependencies: [a]}
                        """)).singleElement().asString().startsWith("DAG 'd': cycle in task dependencies: ");
    }

    @Test
    void groupNamesFollowAirflowsGroupKeyRule() {
        assertThat(errors("""
                        d:
                          task_groups:
                            a.b: {}
                          tasks:
                            t: {operator: empty, task_group_name: a.b}
                        """))
                .containsExactly("DAG 'd': task group name 'a.b' contains '.'; the name of a group that prefixes its"
                        + " tasks' ids may only contain letters, digits, '-' and '_'");
    }

    @Test
    void groupDefaultArgsKeysAreChecked() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {default_args: {retires: 2}}
                          tasks:
                            t: {operator: empty, task_group_name: g}
                        """))
                .singleElement()
                .asString()
                .startsWith("task group 'g' of DAG 'd': default_args key 'retires' is not a task setting or an"
                        + " operator argument Gust knows; did you mean 'retries'?");
    }

    @Test
    void uiColoursAreKeptWhenTheyAreColours() {
        Dag dag = single("""
                d:
                  task_groups:
                    g: {ui_color: CornflowerBlue, ui_fgcolor: '#000'}
                  tasks:
                    t: {operator: empty, task_group_name: g}
                """);
        assertThat(dag.taskGroups().getFirst().uiColor()).isEqualTo("CornflowerBlue");
        assertThat(dag.taskGroups().getFirst().uiFgcolor()).isEqualTo("#000");
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {ui_color: "red; background: url(x)"}
                          tasks:
                            t: {operator: empty, task_group_name: g}
                        """))
                .containsExactly(
                        "task group 'g' of DAG 'd': ui_color must be a CSS colour name like 'CornflowerBlue' or a hex colour like"
                                + " '#ffefeb', got 'red; background: url(x)'");
    }

    @Test
    void aBadSettingValueNamesTheGroup() {
        assertThat(errors("""
                        d:
                          task_groups:
                            g: {prefix_group_id: maybe, dependencies: {a: 1}}
                          tasks:
                            t: {operator: empty, task_group_name: g}
                        """))
                .allSatisfy(message -> assertThat(message).startsWith("task group 'g' of DAG 'd': "))
                .anySatisfy(message -> assertThat(message).contains("prefix_group_id"))
                .anySatisfy(message -> assertThat(message).contains("dependencies"));
    }

    @Test
    void listFormNeedsUniqueGroupNames() {
        assertThat(errors("""
                        d:
                          task_groups:
                            - group_name: g
                            - group_name: g
                          tasks:
                            t: {operator: empty, task_group_name: g}
                        """)).containsExactly("DAG 'd': task group 'g' is defined twice (first on line 3)");
        assertThat(errors("""
                        d:
                          task_groups:
                            - tooltip: nameless
                          tasks:
                            t: {operator: empty}
                        """)).containsExactly("DAG 'd': a task group in the task_groups list has no group_name");
    }
}
