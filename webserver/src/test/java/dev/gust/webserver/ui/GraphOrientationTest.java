package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFolderScanner;
import dev.gust.core.dag.sync.DagFolderSync;
import dev.gust.core.store.Stores;
import dev.gust.webserver.TestUsers;
import dev.gust.webserver.WebClient;
import dev.gust.webserver.WebTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Over real HTTP, the graph view honours a DAG's {@code orientation} (Airflow's graph direction):
 * a downstream box lies right of its upstream in LR, below it in TB, left of it in RL and above it
 * in BT, the edges leave and enter the boxes on the sides facing that way (an edge into an open
 * group enters its frame), and an open task group's frame still holds its tasks below its name in
 * every direction.
 */
class GraphOrientationTest {

    /** start, then a group holding first and second, then end; {@code %s} is the DAG id and orientation. */
    static final String DAG = """
            %s:
              schedule: null
              orientation: %s
              task_groups:
                grp: {}
              tasks:
                start: {operator: empty}
                first: {operator: empty, task_group_name: grp, dependencies: [start]}
                second: {operator: empty, task_group_name: grp, dependencies: [first]}
                end: {operator: empty, dependencies: [grp]}
            """;

    @RegisterExtension
    static final WebTestServer web = new WebTestServer();

    static WebClient browser;

    record Box(int x, int y, int width, int height) {
        int centreX() {
            return x + width / 2;
        }

        int centreY() {
            return y + height / 2;
        }
    }

    @BeforeAll
    static void fourDags() throws Exception {
        Path folder = Files.createTempDirectory("gust-orientation");
        for (String orientation : new String[] {"LR", "TB", "RL", "BT"}) {
            Files.writeString(
                    folder.resolve(orientation.toLowerCase() + ".yaml"),
                    DAG.formatted("graph_" + orientation.toLowerCase(), orientation));
        }
        Files.writeString(
                folder.resolve("unset.yaml"), DAG.formatted("graph_unset", "LR").replace("  orientation: LR\n", ""));
        Stores stores = web.services.stores();
        try (DagFolderSync sync = new DagFolderSync(
                new DagFolderScanner(folder),
                stores.dags(),
                stores.importErrors(),
                stores.dagWarnings(),
                GustConfig.defaults().core())) {
            assertThat(sync.sync().importErrors()).isZero();
        }
        TestUsers.create(web.db.jdbc(), "viewer", "viewer");
        browser = new WebClient(web.port);
        browser.login("viewer", TestUsers.PASSWORD);
    }

    /** The boxes of the open graph: tasks by id, the group's frame under "frame:grp". */
    private static Map<String, Box> boxes(String dagId) throws Exception {
        var response = browser.get("/dags/" + dagId + "/graph?expanded=grp");
        assertThat(response.statusCode()).isEqualTo(200);
        String html = response.body();
        Map<String, Box> boxes = new HashMap<>();
        Matcher node = Pattern.compile("data-task-id=\"([^\"]+)\"[^>]*>\\s*<rect x=\"(\\d+)\" y=\"(\\d+)\"")
                .matcher(html);
        while (node.find()) {
            boxes.put(
                    node.group(1),
                    new Box(
                            Integer.parseInt(node.group(2)),
                            Integer.parseInt(node.group(3)),
                            GraphLayout.NODE_WIDTH,
                            GraphLayout.NODE_HEIGHT));
        }
        Matcher frame = Pattern.compile(
                        "class=\"group-frame\" data-group-id=\"([^\"]+)\">\\s*<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\"")
                .matcher(html);
        while (frame.find()) {
            boxes.put(
                    "frame:" + frame.group(1),
                    new Box(
                            Integer.parseInt(frame.group(2)),
                            Integer.parseInt(frame.group(3)),
                            Integer.parseInt(frame.group(4)),
                            Integer.parseInt(frame.group(5))));
        }
        assertThat(boxes).containsOnlyKeys("start", "grp.first", "grp.second", "end", "frame:grp");
        assertThat(html)
                .contains(
                        "data-orientation=\"" + dagId.substring(6).toUpperCase().replace("UNSET", "LR") + "\"");
        return boxes;
    }

    /** The start point of the edge from one task to another. */
    private static int[] edgeStart(String dagId, String from, String to) throws Exception {
        String html = browser.get("/dags/" + dagId + "/graph?expanded=grp").body();
        Matcher edge = Pattern.compile(
                        "<path class=\"edge\" d=\"M(\\d+) (\\d+) [^\"]*\" marker-end=\"url\\(#arrow\\)\"><title>"
                                + Pattern.quote(from + " → " + to) + "</title>")
                .matcher(html);
        assertThat(edge.find()).as(from + " → " + to).isTrue();
        return new int[] {Integer.parseInt(edge.group(1)), Integer.parseInt(edge.group(2))};
    }

    private static void assertFramed(Map<String, Box> boxes) {
        Box frame = boxes.get("frame:grp");
        for (String task : new String[] {"grp.first", "grp.second"}) {
            Box box = boxes.get(task);
            assertThat(box.x()).as(task).isGreaterThan(frame.x());
            assertThat(box.x() + box.width()).as(task).isLessThan(frame.x() + frame.width());
            // below the group's name, which is written at the frame's top
            assertThat(box.y()).as(task).isGreaterThanOrEqualTo(frame.y() + GraphLayout.GROUP_HEADER);
            assertThat(box.y() + box.height()).as(task).isLessThan(frame.y() + frame.height());
        }
        for (String task : new String[] {"start", "end"}) {
            Box box = boxes.get(task);
            boolean apart = box.x() + box.width() <= frame.x()
                    || box.x() >= frame.x() + frame.width()
                    || box.y() + box.height() <= frame.y()
                    || box.y() >= frame.y() + frame.height();
            assertThat(apart).as(task + " outside the frame").isTrue();
        }
    }

    @Test
    void leftToRightIsTheDefault() throws Exception {
        for (String dagId : new String[] {"graph_lr", "graph_unset"}) {
            Map<String, Box> boxes = boxes(dagId);
            assertThat(boxes.get("grp.first").x())
                    .isGreaterThan(boxes.get("start").x());
            assertThat(boxes.get("grp.second").x())
                    .isGreaterThan(boxes.get("grp.first").x());
            assertThat(boxes.get("end").x())
                    .isGreaterThan(boxes.get("grp.second").x());
            assertThat(boxes.get("end").y()).isEqualTo(boxes.get("start").y());
            assertFramed(boxes);
            Box start = boxes.get("start");
            assertThat(edgeStart(dagId, "start", "grp")).containsExactly(start.x() + start.width(), start.centreY());
        }
    }

    @Test
    void topToBottomPutsDownstreamBelow() throws Exception {
        Map<String, Box> boxes = boxes("graph_tb");
        assertThat(boxes.get("grp.first").y()).isGreaterThan(boxes.get("start").y());
        assertThat(boxes.get("grp.second").y())
                .isGreaterThan(boxes.get("grp.first").y());
        assertThat(boxes.get("end").y()).isGreaterThan(boxes.get("grp.second").y());
        assertThat(boxes.get("end").x()).isEqualTo(boxes.get("start").x());
        assertFramed(boxes);
        Box start = boxes.get("start");
        assertThat(edgeStart("graph_tb", "start", "grp")).containsExactly(start.centreX(), start.y() + start.height());
    }

    @Test
    void rightToLeftPutsDownstreamLeft() throws Exception {
        Map<String, Box> boxes = boxes("graph_rl");
        assertThat(boxes.get("grp.first").x()).isLessThan(boxes.get("start").x());
        assertThat(boxes.get("grp.second").x())
                .isLessThan(boxes.get("grp.first").x());
        assertThat(boxes.get("end").x()).isLessThan(boxes.get("grp.second").x());
        assertFramed(boxes);
        Box start = boxes.get("start");
        assertThat(edgeStart("graph_rl", "start", "grp")).containsExactly(start.x(), start.centreY());
    }

    @Test
    void bottomToTopPutsDownstreamAbove() throws Exception {
        Map<String, Box> boxes = boxes("graph_bt");
        assertThat(boxes.get("grp.first").y()).isLessThan(boxes.get("start").y());
        assertThat(boxes.get("grp.second").y())
                .isLessThan(boxes.get("grp.first").y());
        assertThat(boxes.get("end").y()).isLessThan(boxes.get("grp.second").y());
        assertFramed(boxes);
        Box start = boxes.get("start");
        assertThat(edgeStart("graph_bt", "start", "grp")).containsExactly(start.centreX(), start.y());
    }

    @Test
    void aClosedGroupIsOneBoxInTheDagsDirection() throws Exception {
        String html = browser.get("/dags/graph_tb/graph").body();
        Matcher group = Pattern.compile("data-group-id=\"grp\"[^>]*>\\s*<rect x=\"(\\d+)\" y=\"(\\d+)\"")
                .matcher(html);
        Matcher start = Pattern.compile("data-task-id=\"start\"[^>]*>\\s*<rect x=\"(\\d+)\" y=\"(\\d+)\"")
                .matcher(html);
        assertThat(group.find()).isTrue();
        assertThat(start.find()).isTrue();
        assertThat(group.group(1)).isEqualTo(start.group(1));
        assertThat(Integer.parseInt(group.group(2))).isGreaterThan(Integer.parseInt(start.group(2)));
        assertThat(html).doesNotContain("class=\"group-frame\"");
    }
}
