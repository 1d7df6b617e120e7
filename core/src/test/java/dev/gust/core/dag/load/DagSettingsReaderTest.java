package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each DAG-level setting read by {@link DagSettingsReader}: a good value, and bad ones refused with a reason. */
class DagSettingsReaderTest {

    private final DagFileParser parser = new DagFileParser();

    @TempDir
    Path folder;

    private static String dag(String settings) {
        return "d:\n" + settings.indent(2) + "  tasks:\n    t: {operator: empty}\n";
    }

    private Dag load(String settings) {
        DagFileResult result = parser.parse("team/d.yaml", dag(settings), folder, List.of());
        assertThat(result.errors()).isEmpty();
        return result.dags().getFirst();
    }

    private String error(String settings) {
        DagFileResult result = parser.parse("team/d.yaml", dag(settings), folder, List.of());
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors()).hasSize(1);
        return result.errors().getFirst().message();
    }

    @Test
    void docMdIsKeptAsWritten() {
        assertThat(load("doc_md: \"# Title\\n\\ntext\"").docMd()).isEqualTo("# Title\n\ntext");
        assertThat(error("doc_md: [a]")).isEqualTo("DAG 'd': doc_md must be text, got a list");
    }

    @Test
    void docMdFileIsRelativeToTheDagFilesFolder() throws IOException {
        Files.createDirectories(folder.resolve("team/docs"));
        Files.writeString(folder.resolve("team/docs/d.md"), "# From a file\n");
        Files.writeString(folder.resolve("shared.md"), "# Shared\n");
        assertThat(load("doc_md_file_path: docs/d.md").docMd()).isEqualTo("# From a file\n");
        assertThat(load("doc_md_file_path: ../shared.md").docMd()).isEqualTo("# Shared\n");
    }

    @Test
    void docMdFileOutsideTheFolderMissingOrAbsoluteIsRefused() throws IOException {
        assertThat(error("doc_md_file_path: ../../etc/passwd"))
                .isEqualTo("DAG 'd': doc_md_file_path '../../etc/passwd' is outside the DAG folder;"
                        + " put the documentation file inside it");
        assertThat(error("doc_md_file_path: docs/missing.md"))
                .isEqualTo("DAG 'd': doc_md_file_path 'docs/missing.md' does not exist"
                        + " (the path is relative to the folder of team/d.yaml)");
        assertThat(error("doc_md_file_path: /usr/local/airflow/dags/doc.md"))
                .startsWith("DAG 'd': doc_md_file_path '/usr/local/airflow/dags/doc.md' must be relative to the"
                        + " DAG file's folder");
        Files.createDirectories(folder.resolve("team"));
        Path outside = Files.createTempFile("secret", ".md");
        try {
            Files.createSymbolicLink(folder.resolve("team/link.md"), outside);
            assertThat(error("doc_md_file_path: link.md")).contains("is outside the DAG folder");
        } finally {
            Files.delete(outside);
        }
        assertThat(error("doc_md: x\ndoc_md_file_path: docs/d.md"))
                .isEqualTo("DAG 'd': sets both doc_md and doc_md_file_path; keep one"
                        + " (the Markdown, or the file holding it)");
    }

    @Test
    void docMdFileNeedsADagFolder() {
        DagFileResult result = parser.parse("d.yaml", dag("doc_md_file_path: d.md"));
        assertThat(result.errors().getFirst().message())
                .isEqualTo("DAG 'd': doc_md_file_path 'd.md' cannot be read: this file was parsed outside a DAG"
                        + " folder");
    }

    @Test
    void docMdFromPythonNeedsPython() {
        assertThat(error("doc_md_python_callable_file: /dags/docs.py\ndoc_md_python_callable_name: build"))
                .startsWith("DAG 'd': 'doc_md_python_callable_file' needs Python");
    }

    @Test
    void displayName() {
        assertThat(load("dag_display_name: Sales (daily)").displayName()).isEqualTo("Sales (daily)");
        assertThat(error("dag_display_name: \"  \""))
                .isEqualTo("DAG 'd': dag_display_name must not be empty; leave it out to show the DAG id");
    }

    @Test
    void defaultView() {
        assertThat(load("default_view: graph").defaultView()).isEqualTo("graph");
        assertThat(load("default_view: Grid").defaultView()).isEqualTo("grid");
        assertThat(load("default_view: tree").defaultView()).isEqualTo("grid");
        // valid in Airflow, missing in Gust: loads (a DAG warning says the grid opens instead)
        assertThat(load("default_view: gantt").defaultView()).isEqualTo("gantt");
        assertThat(error("default_view: table"))
                .isEqualTo("DAG 'd': default_view must be grid or graph (Airflow's tree is the grid), got 'table'");
    }

    @Test
    void orientation() {
        for (String orientation : new String[] {"LR", "TB", "RL", "BT"}) {
            assertThat(load("orientation: " + orientation).orientation()).isEqualTo(orientation);
        }
        assertThat(error("orientation: up")).startsWith("DAG 'd': orientation must be one of LR, TB, RL, BT");
    }

    @Test
    void ownerLinksAcceptOnlyWebAndMailLinks() {
        assertThat(load("owner_links: {alice: 'https://example.com/alice', ops: 'mailto:ops@example.com'}")
                        .ownerLinks())
                .containsExactly(
                        Map.entry("alice", "https://example.com/alice"), Map.entry("ops", "mailto:ops@example.com"));
        assertThat(error("owner_links: {alice: 'javascript:alert(1)'}"))
                .isEqualTo("DAG 'd': owner_links 'alice' must be an http://, https:// or mailto: link,"
                        + " got 'javascript:alert(1)'");
        assertThat(error("owner_links: {alice: 'data:text/html,<script>x</script>'}"))
                .contains("must be an http://, https:// or mailto: link");
        assertThat(error("owner_links: {alice: 'wiki/alice'}")).contains("must be an http://");
        assertThat(error("owner_links: [a]")).startsWith("DAG 'd': owner_links must map owner names to links");
    }

    @Test
    void renderTemplateAsNativeObj() {
        assertThat(load("render_template_as_native_obj: true").renderTemplateAsNativeObj())
                .isTrue();
        assertThat(load("render_template_as_native_obj: false").renderTemplateAsNativeObj())
                .isFalse();
        assertThat(error("render_template_as_native_obj: sometimes"))
                .isEqualTo("DAG 'd': render_template_as_native_obj must be true or false, got 'sometimes'");
    }

    @Test
    void maxConsecutiveFailedDagRuns() {
        assertThat(load("max_consecutive_failed_dag_runs: 3").maxConsecutiveFailedDagRuns())
                .isEqualTo(3);
        assertThat(load("max_consecutive_failed_dag_runs: 0").maxConsecutiveFailedDagRuns())
                .isZero();
        assertThat(error("max_consecutive_failed_dag_runs: -1"))
                .isEqualTo("DAG 'd': max_consecutive_failed_dag_runs must be 0 (never pause) or more, got -1");
        assertThat(error("max_consecutive_failed_dag_runs: many"))
                .isEqualTo("DAG 'd': max_consecutive_failed_dag_runs must be a whole number, got 'many'");
    }

    @Test
    void maxActiveTasksAndItsOldName() {
        assertThat(load("max_active_tasks: 3").maxActiveTasks()).isEqualTo(3);
        assertThat(load("concurrency: 5").maxActiveTasks()).isEqualTo(5);
        assertThat(error("max_active_tasks: 3\nconcurrency: 5"))
                .isEqualTo("DAG 'd' sets both 'max_active_tasks' and 'concurrency' (its old name);"
                        + " keep only 'max_active_tasks'");
        assertThat(error("max_active_tasks: 0")).isEqualTo("DAG 'd': max_active_tasks must be at least 1, got 0");
    }

    @Test
    void isPausedUponCreation() {
        assertThat(load("is_paused_upon_creation: true").pausedUponCreation()).isTrue();
        assertThat(load("is_paused_upon_creation: false").pausedUponCreation()).isFalse();
        assertThat(error("is_paused_upon_creation: maybe")).contains("must be true or false");
    }

    @Test
    void aTasksDocIsOneOfAirflowsDocArguments() {
        DagFileResult result = parser.parse(
                "d.yaml",
                "d:\n  default_args: {doc: shared text}\n  tasks:\n    a: {operator: empty, doc_md: '# A'}\n"
                        + "    b: {operator: empty}\n");
        assertThat(result.errors()).isEmpty();
        Dag dag = result.dags().getFirst();
        // a task's own documentation replaces default_args' one; a task without takes the shared one
        assertThat(dag.task("a").orElseThrow().doc()).isEqualTo(new dev.gust.core.dag.model.TaskDoc("doc_md", "# A"));
        assertThat(dag.task("b").orElseThrow().doc())
                .isEqualTo(new dev.gust.core.dag.model.TaskDoc("doc", "shared text"));
        DagFileResult both = parser.parse("d.yaml", "d:\n  tasks:\n    a: {operator: empty, doc_md: x, doc_yaml: y}\n");
        assertThat(both.errors())
                .extracting(ImportError::message)
                .containsExactly("task 'a' sets both doc_md and doc_yaml; keep one documentation key");
        assertThat(parser.parse("d.yaml", "d:\n  tasks:\n    a: {operator: empty, doc_md: '# A'}\n")
                        .dags()
                        .getFirst()
                        .task("a")
                        .orElseThrow()
                        .doc())
                .isEqualTo(new dev.gust.core.dag.model.TaskDoc("doc_md", "# A"));
    }

    @Test
    void accessControlIsRefusedBecauseGustsAccessIsPerRole() {
        assertThat(error("access_control: {data-team: [can_read, can_edit]}"))
                .startsWith("DAG 'd': access_control gives roles permissions on this one DAG, but Gust's access is"
                        + " per role for every DAG");
    }
}
