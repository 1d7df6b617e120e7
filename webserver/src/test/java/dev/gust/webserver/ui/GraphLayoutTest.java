package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.model.Dag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The graph's layout itself, in every direction: every task is a box with its whole label, no
 * edge runs through a box (edges over several layers included, sampled along their curves), and
 * each layer is centred across the widest.
 */
class GraphLayoutTest {

    /** Edges over two and three layers, a fan-in, and a group downstream of everything. */
    static final String DAG = """
            layout_%s:
              schedule: null
              orientation: %s
              task_groups:
                load_group: {}
              tasks:
                extract_customers_from_the_crm_system_of_record: {operator: bash, bash_command: "echo e"}
                quick: {operator: empty}
                transform: {operator: empty, dependencies: [extract_customers_from_the_crm_system_of_record]}
                aggregate: {operator: empty, dependencies: [transform]}
                check: {operator: empty, dependencies: [aggregate]}
                finish: {operator: empty, dependencies: [check, quick, extract_customers_from_the_crm_system_of_record, transform]}
                first: {operator: empty, task_group_name: load_group, dependencies: [finish]}
                second: {operator: empty, task_group_name: load_group, dependencies: [first, quick]}
            """;

    static Dag dag(String orientation) {
        return new DagFileParser()
                .parse("layout.yaml", DAG.formatted(orientation.toLowerCase(), orientation))
                .dags()
                .getFirst();
    }

    @Test
    void noEdgeRunsThroughABoxInAnyDirection() {
        for (String orientation : List.of("LR", "TB", "RL", "BT")) {
            for (Set<String> expanded : List.of(Set.<String>of(), Set.of("load_group"))) {
                GraphLayout.Graph graph =
                        GraphLayout.layout(dag(orientation), Map.of(), Map.of(), expanded, id -> "#" + id);
                assertThat(graph.edges()).as(orientation).isNotEmpty();
                for (GraphLayout.Edge edge : graph.edges()) {
                    for (double[] point : sample(edge.path())) {
                        for (GraphLayout.Node node : graph.nodes()) {
                            boolean inside = point[0] > node.x() + 1
                                    && point[0] < node.x() + node.width() - 1
                                    && point[1] > node.y() + 1
                                    && point[1] < node.y() + node.height() - 1;
                            assertThat(inside)
                                    .as(orientation + " " + expanded + ": " + edge.from() + " → " + edge.to()
                                            + " runs through " + node.taskId() + " at " + point[0] + "," + point[1])
                                    .isFalse();
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyTaskIsABoxWithItsWholeLabelWrappedAndItsOperator() {
        GraphLayout.Graph graph = GraphLayout.layout(dag("LR"), Map.of(), Map.of(), Set.of("load_group"), id -> id);
        assertThat(graph.nodes())
                .extracting(GraphLayout.Node::taskId)
                .containsExactlyInAnyOrder(
                        "extract_customers_from_the_crm_system_of_record",
                        "quick",
                        "transform",
                        "aggregate",
                        "check",
                        "finish",
                        "load_group.first",
                        "load_group.second");
        GraphLayout.Node extract = graph.nodes().stream()
                .filter(node -> node.taskId().startsWith("extract"))
                .findFirst()
                .orElseThrow();
        assertThat(extract.lines())
                .hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(GraphLayout.LINE_CHARS));
        assertThat(String.join("", extract.lines())).isEqualTo(extract.taskId());
        assertThat(extract.operator()).isEqualTo("bash");
        assertThat(extract.height()).isGreaterThan(GraphLayout.NODE_HEIGHT);
        assertThat(GraphLayout.wrap("a_very_long_task_identifier_without_breaks_at_all_really"))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(GraphLayout.LINE_CHARS));
    }

    @Test
    void aLayerIsCentredAcrossTheWidest() {
        GraphLayout.Graph graph = GraphLayout.layout(dag("LR"), Map.of(), Map.of(), Set.of(), id -> id);
        GraphLayout.Node transform = node(graph, "transform");
        GraphLayout.Node quick = node(graph, "quick");
        GraphLayout.Node extract = node(graph, "extract_customers_from_the_crm_system_of_record");
        // transform's layer has transform and the slot of the edge extract -> finish that passes
        // it; the first layer (extract, quick) is wider: transform's layer lies within it
        int firstTop = Math.min(quick.y(), extract.y());
        int firstBottom = Math.max(quick.y() + quick.height(), extract.y() + extract.height());
        assertThat(transform.y()).isGreaterThan(firstTop);
        assertThat(transform.y() + transform.height()).isLessThan(firstBottom);
    }

    private static GraphLayout.Node node(GraphLayout.Graph graph, String id) {
        return graph.nodes().stream()
                .filter(node -> node.taskId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    /** Points every few pixels along an SVG path of M, L and C pieces. */
    private static List<double[]> sample(String path) {
        List<double[]> points = new ArrayList<>();
        Matcher piece = Pattern.compile("([MLC])([-\\d ]+)").matcher(path);
        double x = 0;
        double y = 0;
        while (piece.find()) {
            String[] numbers = piece.group(2).trim().split(" ");
            double[] v = new double[numbers.length];
            for (int i = 0; i < numbers.length; i++) {
                v[i] = Double.parseDouble(numbers[i]);
            }
            switch (piece.group(1)) {
                case "M" -> {
                    x = v[0];
                    y = v[1];
                    points.add(new double[] {x, y});
                }
                case "L" -> {
                    for (int s = 1; s <= 50; s++) {
                        double t = s / 50.0;
                        points.add(new double[] {x + (v[0] - x) * t, y + (v[1] - y) * t});
                    }
                    x = v[0];
                    y = v[1];
                }
                default -> {
                    for (int s = 1; s <= 50; s++) {
                        double t = s / 50.0;
                        double u = 1 - t;
                        points.add(new double[] {
                            u * u * u * x + 3 * u * u * t * v[0] + 3 * u * t * t * v[2] + t * t * t * v[4],
                            u * u * u * y + 3 * u * u * t * v[1] + 3 * u * t * t * v[3] + t * t * t * v[5]
                        });
                    }
                    x = v[4];
                    y = v[5];
                }
            }
        }
        return points;
    }
}
