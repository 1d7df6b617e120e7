package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Params;
import dev.gust.core.store.Stores;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Over real HTTP, the grid and the graph of a DAG with task groups: groups start closed (one row,
 * one box) with Airflow's aggregate state of their tasks in the run, a link opens one (its tasks
 * and inner groups appear, the graph frames them) and the edges into and out of a closed group
 * end at its box.
 */
class TaskGroupPagesTest {

    static final String DAGS = """
            grouped:
              schedule: null
              task_groups:
                extract: {tooltip: pulls the data}
                api: {parent_group_name: extract}
                flat: {prefix_group_id: false, dependencies: [extract], ui_color: '#ffefeb', ui_fgcolor: navy}
              tasks:
                start: {operator: empty}
                orders: {operator: empty, task_group_name: extract, dependencies: [start]}
                pull: {operator: empty, task_group_name: api, dependencies: [start]}
                clean: {operator: empty, task_group_name: flat}
            """;

    @RegisterExtension
    static final WebTestServer web = new WebTestServer();

    static WebClient browser;

    @BeforeAll
    static void oneRun() throws Exception {
        Path folder = Files.createTempDirectory("gust-group-pages");
        Files.writeString(folder.resolve("grouped.yaml"), DAGS);
        Stores stores = web.services.stores();
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                stores.dags(),
                stores.importErrors(),
                stores.dagWarnings(),
                GustConfig.defaults().core())) {
            assertThat(sync.sync().importErrors()).isZero();
        }
        var definitions = web.services.dagDefinitions();
        Dag dag = definitions.get("grouped").orElseThrow().dag();
        runId = new DagRunCreator(new DagRunRepository(web.db.jdbc()), definitions, false, Clock.systemUTC())
                .trigger("grouped", Map.of(), Instant.parse("2024-02-01T00:00:00Z"), null);
        new TaskInstanceRepository(web.db.jdbc())
                .createForRun(
                        "grouped",
                        runId,
                        dag.tasks().stream()
                                .map(t -> new NewTaskInstance(t.taskId(), -1, 0, "default_pool", 1, 1, "empty"))
                                .toList());
        setState("start", "success");
        setState("extract.orders", "failed");
        setState("extract.api.pull", "success");
        setState("clean", "upstream_failed");
        TestUsers.create(web.db.jdbc(), "viewer", "viewer");
        browser = new WebClient(web.port);
        browser.login("viewer", TestUsers.PASSWORD);
    }

    private static String runId;

    private static void setState(String taskId, String state) {
        web.db
                .jdbc()
                .update(
                        "UPDATE task_instance SET state = :state WHERE dag_id = 'grouped' AND task_id = :taskId",
                        Params.of("state", state).and("taskId", taskId));
    }

    private static String page(String path) throws Exception {
        var response = browser.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static List<String> all(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void gridGroupsStartClosedWithTheirAggregateState() throws Exception {
        String grid = page("/dags/grouped/grid");
        assertThat(all(grid, "<tr (?:class=\"group-row\" )?data-(?:task|group)-id=\"([^\"]+)\""))
                .containsExactly("start", "extract", "flat");
        // extract holds a failed and a success task: failed; flat's only task is upstream_failed
        assertThat(all(grid, "data-group-id=\"extract\"[^\n]*?group-cell s-([a-z_]+)"))
                .containsExactly("failed");
        assertThat(all(grid, "data-group-id=\"flat\"[^\n]*?group-cell s-([a-z_]+)"))
                .containsExactly("upstream_failed");
        assertThat(grid).contains("title=\"pulls the data\"").contains("aria-expanded=\"false\"");

        String open = page("/dags/grouped/grid?runs=25&expanded=extract");
        assertThat(all(open, "<tr (?:class=\"group-row\" )?data-(?:task|group)-id=\"([^\"]+)\""))
                .containsExactly("start", "extract", "extract.orders", "extract.api", "flat");
        assertThat(all(open, "data-group-id=\"extract.api\"[^\n]*?group-cell s-([a-z_]+)"))
                .containsExactly("success");
        // the task's row shows its name in the group; its link closes the group again
        assertThat(open)
                .contains("title=\"extract.orders\">orders <small")
                .contains("href=\"/dags/grouped/grid\" aria-expanded=\"true\"");

        String deep = page("/dags/grouped/grid?expanded=extract&expanded=extract.api&expanded=flat");
        assertThat(all(deep, "<tr (?:class=\"group-row\" )?data-(?:task|group)-id=\"([^\"]+)\""))
                .containsExactly(
                        "start", "extract", "extract.orders", "extract.api", "extract.api.pull", "flat", "clean");
    }

    @Test
    void graphDrawsAClosedGroupAsOneBoxAndAnOpenOneAsAFrame() throws Exception {
        String closed = page("/dags/grouped/graph");
        assertThat(all(closed, "<g class=\"node [^\"]*\" data-task-id=\"([^\"]+)\""))
                .containsExactly("start");
        assertThat(all(closed, "<g class=\"node group-node s-([a-z_]+)\" data-group-id=\"extract\""))
                .containsExactly("failed");
        assertThat(all(closed, "<title>([^<]+ → [^<]+)</title>"))
                .containsExactlyInAnyOrder("start → extract", "extract → flat");
        assertThat(closed).doesNotContain("class=\"group-frame\"");
        // a group's ui_color and ui_fgcolor colour its box
        assertThat(closed).contains("style=\"fill: #ffefeb\"").contains("style=\"fill: navy\"");

        String open = page("/dags/grouped/graph?expanded=extract");
        assertThat(all(open, "<g class=\"group-frame\" data-group-id=\"([^\"]+)\""))
                .containsExactly("extract");
        assertThat(all(open, "<g class=\"node [^\"]*\" data-task-id=\"([^\"]+)\""))
                .containsExactlyInAnyOrder("start", "extract.orders");
        assertThat(all(open, "data-group-id=\"([^\"]+)\" data-state")).containsExactlyInAnyOrder("extract.api", "flat");
        // edges between a task inside an open group and one outside end at the group's frame
        assertThat(all(open, "<title>([^<]+ → [^<]+)</title>"))
                .containsExactlyInAnyOrder("start → extract", "extract → flat");

        String all = page("/dags/grouped/graph?expanded=extract&expanded=extract.api&expanded=flat");
        assertThat(all(all, "<g class=\"node [^\"]*\" data-task-id=\"([^\"]+)\""))
                .containsExactlyInAnyOrder("start", "extract.orders", "extract.api.pull", "clean");
        assertThat(all(all, "<title>([^<]+ → [^<]+)</title>"))
                .containsExactlyInAnyOrder("start → extract", "extract → flat");
    }

    @Test
    void aTaskWithoutArgumentsSaysSoWhereItsRenderedTemplatesWouldBe() throws Exception {
        String start = page("/dags/grouped/runs/" + Fmt.segment(runId) + "/tasks/start");
        assertThat(start).contains("<p class=\"muted\" id=\"rendered-none\">This task has no arguments to render.</p>");
    }
}
